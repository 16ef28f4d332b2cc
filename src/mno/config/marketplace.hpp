// One marketplace (preset / tenant) as the developer platform describes it (spec §1.1, §1.4 naming),
// plus Tally's own per-marketplace security settings. Plain data: parsing and validation live in
// marketplace_json.hpp, lookup in registry.hpp.
#pragma once
#include <chrono>
#include <string>
#include <string_view>

namespace mno::config {

inline constexpr std::string_view kNameIdPersistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";

struct AppSettings {
  std::string host;  // public base URL of the app, no trailing slash expected
  // Optional dev-platform synchronization paths (unused by Tally, kept for metadata and round-trips).
  std::string synchronization_start_path;
  std::string synchronization_toggle_path;
  std::string synchronization_status_path;
  bool operator==(const AppSettings&) const = default;
};

struct ApiSettings {
  std::string id;    // app-xxxx: HTTP Basic user in both directions, SAML Issuer
  std::string key;   // API secret: HTTP Basic password. Secret: never logged, never in metadata.
  std::string host;  // account API + IdP host
  std::string base;  // "/api/v1/" (always ends with '/')
  bool operator==(const ApiSettings&) const = default;
};

struct SsoSettings {
  bool enabled = true;
  bool slo_enabled = true;               // forced false when enabled is false
  std::string creation_mode = "real";    // "real" | "virtual"
  std::string init_path;
  std::string consume_path;
  std::string idm;                       // empty = app.host (use Marketplace::idm())
  std::string idp;
  std::string name_id_format{kNameIdPersistent};
  std::string x509_fingerprint;          // SHA-1, colon-separated hex, as configured (either case)
  std::string x509_certificate;          // PEM of the IdP signing certificate
  // Tally's own hardening knobs (not sent by the dev platform; JSON keys sso.clock_skew,
  // sso.legacy_sha1, sso.recheck_grace are accepted to override them).
  std::chrono::seconds clock_skew{180};     // tolerated clock difference for SAML time conditions
  bool legacy_sha1 = false;                 // accept RSA-SHA1 signatures (off: security.md §1.4)
  std::chrono::seconds recheck_grace{300};  // keep a session valid this long when the re-check endpoint is down
  bool operator==(const SsoSettings&) const = default;
};

struct ConnecSettings {
  bool enabled = true;
  std::string host;
  std::string base_path = "/api/v2";
  std::chrono::seconds timeout{60};
  bool operator==(const ConnecSettings&) const = default;
};

struct AccountWebhookSettings {
  std::string group_path;       // "/maestrano/account/groups/:id/<marketplace>"
  std::string group_user_path;  // "/maestrano/account/groups/:group_id/users/:id/<marketplace>"
  bool operator==(const AccountWebhookSettings&) const = default;
};

struct ConnecWebhookSettings {
  bool external_ids = false;
  std::string notification_path;
  std::string initialization_path;  // optional (null in dev-platform fixtures)
  bool operator==(const ConnecWebhookSettings&) const = default;
};

struct WebhookSettings {
  AccountWebhookSettings account;
  ConnecWebhookSettings connec;
  bool operator==(const WebhookSettings&) const = default;
};

struct Marketplace {
  std::string name;         // preset key = the dev platform's "marketplace" field, e.g. "maestrano-uat"
  std::string environment;  // dev-platform environment name ("my-app"); defaults to name
  std::string nid;          // dev-platform environment nid (optional)
  AppSettings app;
  ApiSettings api;
  SsoSettings sso;
  ConnecSettings connec;
  WebhookSettings webhooks;

  // Host serving the SSO init/consume paths: sso.idm, or app.host when empty.
  const std::string& idm() const { return sso.idm.empty() ? app.host : sso.idm; }
  // api.host + api.base + path ("account/bills" or "/account/bills" → "https://h/api/v1/account/bills").
  std::string api_url(std::string_view path) const;
  // connec.host + connec.base_path + "/" + path ("cld-1/people" → "https://c/api/v2/cld-1/people").
  std::string connec_url(std::string_view path) const;

  bool operator==(const Marketplace&) const = default;
};

}  // namespace mno::config
