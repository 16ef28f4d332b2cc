// See contact_fields.hpp.
#include "tally/domain/contact_fields.hpp"

#include "tally/domain/user.hpp"

#include <cctype>
#include <charconv>

#include "mno/util/iso8601.hpp"

namespace tally {

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool is_valid_web_url(std::string_view s) {
  std::string_view rest;
  if (s.starts_with("https://")) rest = s.substr(8);
  else if (s.starts_with("http://")) rest = s.substr(7);
  else return false;
  const size_t end = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, end);
  if (host.empty() || host.front() == '.' || host.front() == ':') return false;
  for (unsigned char c : s)
    if (std::isspace(c) || std::iscntrl(c) || c == '<' || c == '>' || c == '"') return false;
  return true;
}

void check_length(FieldErrors& errors, const std::string& field, const std::string& value, size_t max) {
  size_t chars = 0;
  for (unsigned char c : value)
    if ((c & 0xC0) != 0x80) ++chars;  // count UTF-8 code points, not bytes
  if (chars > max) errors.add(field, "must be at most " + std::to_string(max) + " characters");
}

std::string checked_email(FieldErrors& errors, const std::string& field, std::string_view value) {
  std::string v = trimmed(value);
  if (!v.empty() && !is_valid_email(v)) errors.add(field, "must be a valid email address");
  return v;
}

Address checked_address(FieldErrors& errors, const std::string& prefix, const Address& in) {
  Address a{trimmed(in.line1), trimmed(in.line2), trimmed(in.city), trimmed(in.postcode), trimmed(in.region),
            trimmed(in.country)};
  for (auto& c : a.country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!a.country.empty() &&
      (a.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(a.country[0])) ||
       !std::isalpha(static_cast<unsigned char>(a.country[1]))))
    errors.add(prefix + ".country", "must be a 2-letter country code, e.g. FR");
  check_length(errors, prefix + ".line1", a.line1, 200);
  check_length(errors, prefix + ".line2", a.line2, 200);
  check_length(errors, prefix + ".city", a.city, 100);
  check_length(errors, prefix + ".postcode", a.postcode, 20);
  check_length(errors, prefix + ".region", a.region, 100);
  return a;
}

std::optional<int64_t> checked_id(FieldErrors& errors, const std::string& field, std::string_view value) {
  std::string v = trimmed(value);
  if (v.empty()) return std::nullopt;
  int64_t id = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (ec != std::errc{} || p != v.data() + v.size() || id <= 0) {
    errors.add(field, "is not a valid id");
    return std::nullopt;
  }
  return id;
}

std::string now_text(const mno::Clock& clock) { return mno::format_iso8601(clock.now()); }

}  // namespace tally
