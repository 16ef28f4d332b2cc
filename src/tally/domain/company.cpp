// See company.hpp.
#include "tally/domain/company.hpp"

#include <cctype>

#include "tally/domain/ascii_text.hpp"

namespace tally {

std::string_view to_string(CompanyStatus status) {
  switch (status) {
    case CompanyStatus::active: return "active";
    case CompanyStatus::trialing: return "trialing";
    case CompanyStatus::cancelled: return "cancelled";
    case CompanyStatus::blocked: return "blocked";
  }
  return "blocked";
}

std::optional<CompanyStatus> parse_company_status(std::string_view text) {
  for (auto s : {CompanyStatus::active, CompanyStatus::trialing, CompanyStatus::cancelled, CompanyStatus::blocked})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

namespace {
bool upper_letters(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < 'A' || c > 'Z') return false;
  return true;
}
bool ascii_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
}  // namespace

bool is_currency_code(std::string_view s) { return upper_letters(s, 3); }
bool is_country_code(std::string_view s) { return upper_letters(s, 2); }

bool is_timezone_name(std::string_view s) {
  // Shape only (no tz database here): 1-3 '/'-separated segments, each starting with a letter,
  // then letters, digits, '_', '+' or '-'.
  if (s.empty() || s.size() > 64) return false;
  int segments = 0;
  size_t start = 0;
  while (true) {
    size_t end = s.find('/', start);
    std::string_view seg = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (seg.empty() || !ascii_alpha(seg[0])) return false;
    for (char c : seg)
      if (!ascii_alpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '+' && c != '-') return false;
    if (++segments > 3) return false;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}

CompanySettings validate_company_settings(const CompanySettingsInput& in, FieldErrors& errors,
                                          std::string_view field_prefix) {
  const std::string p(field_prefix);
  CompanySettings out;
  out.name = ascii::trim(in.name);
  out.currency = ascii::to_upper(ascii::trim(in.currency));
  out.timezone = ascii::trim(in.timezone);
  out.country = ascii::to_upper(ascii::trim(in.country));

  if (out.name.empty())
    errors.add(p + "name", "is required");
  else if (out.name.size() > 200)
    errors.add(p + "name", "must be at most 200 characters");
  if (out.currency.empty())
    errors.add(p + "currency", "is required");
  else if (!is_currency_code(out.currency))
    errors.add(p + "currency", "must be 3 letters, e.g. EUR");
  if (out.timezone.empty())
    errors.add(p + "timezone", "is required");
  else if (!is_timezone_name(out.timezone))
    errors.add(p + "timezone", "must be a time zone name, e.g. Europe/Paris or UTC");
  if (!out.country.empty() && !is_country_code(out.country))
    errors.add(p + "country", "must be 2 letters, e.g. FR, or empty");
  return out;
}

}  // namespace tally
