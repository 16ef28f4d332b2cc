// Companies, the tenants: every tenant record hangs off one. Pure types and validation of the
// editable settings; storage is in store/company_store, the one place that changes companies is
// CompanyService.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tally/domain/validation.hpp"

namespace tally {

enum class CompanyStatus { active, trialing, cancelled, blocked };

std::string_view to_string(CompanyStatus status);  // "active", "trialing", "cancelled", "blocked"
std::optional<CompanyStatus> parse_company_status(std::string_view text);
// Active and trialing companies can be opened; cancelled and blocked ones cannot.
inline bool is_usable(CompanyStatus s) { return s == CompanyStatus::active || s == CompanyStatus::trialing; }

struct Company {
  int64_t id = 0;
  std::string name;
  std::string currency;  // ISO 4217, e.g. "EUR"
  std::string timezone;  // IANA name, e.g. "Europe/Paris", "UTC"
  std::string country;   // ISO 3166-1 alpha-2 or ""
  CompanyStatus status = CompanyStatus::active;
  std::optional<std::string> marketplace;    // set when provisioned by a marketplace (SSO)
  std::optional<std::string> external_uid;   // the marketplace's group uid (cld-...)
  std::optional<std::string> trial_ends_at;  // ISO-8601 UTC
  std::string created_at;
  std::string updated_at;
  int64_t version = 1;
};

// The editable settings as typed in a form or sent by the API.
struct CompanySettingsInput {
  std::string name;
  std::string currency;
  std::string timezone;
  std::string country;
};

// Validated, normalised settings (trimmed; currency and country upper-cased).
struct CompanySettings {
  std::string name;
  std::string currency;
  std::string timezone;
  std::string country;
};

// Everything needed to create a company (sign-up, or SSO provisioning later).
struct NewCompany {
  CompanySettingsInput settings;
  CompanyStatus status = CompanyStatus::active;
  std::optional<std::string> marketplace;
  std::optional<std::string> external_uid;
  std::optional<std::string> trial_ends_at;
};

// Adds one message per bad field to `errors` (field names: prefix + "name", "currency",
// "timezone", "country") and returns the normalised settings (meaningful only when no error was added).
CompanySettings validate_company_settings(const CompanySettingsInput& in, FieldErrors& errors,
                                          std::string_view field_prefix = "");

// Shape checks, exposed for reuse (the JSON API, SSO provisioning).
bool is_currency_code(std::string_view s);   // exactly 3 upper-case ASCII letters
bool is_country_code(std::string_view s);    // exactly 2 upper-case ASCII letters
bool is_timezone_name(std::string_view s);   // "UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5"

}  // namespace tally
