// Single logout by polling (spec 3.8): the app keeps the Maestrano session (uid, token, recheck time,
// group) server-side and, once the recheck time passes, asks the platform whether the token is still
// valid. Invalid → the app sends the user back through SSO. Platform unreachable → the app may keep the
// session for sso.recheck_grace past the recheck time, then must require SSO. Also the logout and
// "access unauthorized" URLs of the platform.
#pragma once
#include <optional>
#include <string>
#include "mno/config/marketplace.hpp"
#include "mno/http/http_client.hpp"
#include "mno/sso/identity.hpp"
#include "mno/util/clock.hpp"

namespace mno::sso {

enum class CheckOutcome { valid, invalid, unreachable };

struct CheckResult {
  CheckOutcome outcome = CheckOutcome::unreachable;
  std::optional<TimePoint> new_recheck;  // set when valid
  // Stable reason for logs: "" (valid), sso.session_invalid, sso.check_transport, sso.check_status,
  // sso.check_bad_response.
  std::string reason;
};

// What the app should do with a request carrying this session.
enum class SessionDecision {
  keep,          // recheck time not reached, or re-checked valid (session.recheck updated: save it)
  keep_in_grace, // platform unreachable, still within recheck + sso.recheck_grace
  reauthenticate // invalid, or unreachable past the grace period: clear the session, redirect to SSO init
};

// GET api_url("auth/saml/<uid>") + "?session=<token>", each component URL-encoded, no authentication
// (spec 3.8: the endpoint is unauthenticated).
std::string session_check_url(const config::Marketplace& m, std::string_view uid, std::string_view token);
// api.host + "/app_logout?user_uid=<uid>" (uid URL-encoded; omitted when empty).
std::string logout_url(const config::Marketplace& m, std::string_view uid);
// api.host + "/app_access_unauthorized".
std::string unauthorized_url(const config::Marketplace& m);

class SessionChecker {
 public:
  SessionChecker(const config::Marketplace& m, http::HttpClient& http, const Clock& clock,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds{5000});
  // True when uid/token are missing or recheck <= now.
  bool needs_check(const MnoSession& s) const;
  // One remote check: 200 {"valid":true,"recheck":"<ISO>"} → valid; 200 with valid false, or 4xx → invalid;
  // transport error, 5xx, or a malformed body/recheck → unreachable.
  CheckResult check(const MnoSession& s) const;
  // needs_check → check → decision, applying sso.recheck_grace; updates s.recheck when valid.
  SessionDecision evaluate(MnoSession& s, CheckResult* detail = nullptr) const;

 private:
  config::Marketplace m_;
  http::HttpClient& http_;
  const Clock& clock_;
  std::chrono::milliseconds timeout_;
};

}  // namespace mno::sso
