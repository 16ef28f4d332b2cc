// See user.hpp.
#include "tally/domain/user.hpp"

#include "tally/domain/ascii_text.hpp"

namespace tally {

std::string_view to_string(UserStatus status) { return status == UserStatus::active ? "active" : "disabled"; }

std::optional<UserStatus> parse_user_status(std::string_view text) {
  if (text == "active") return UserStatus::active;
  if (text == "disabled") return UserStatus::disabled;
  return std::nullopt;
}

std::string User::display_name() const {
  std::string n = first_name;
  if (!first_name.empty() && !last_name.empty()) n += ' ';
  n += last_name;
  return n.empty() ? email : n;
}

std::string normalize_email(std::string_view email) { return ascii::to_lower(ascii::trim(email)); }

bool is_valid_email(std::string_view e) {
  if (e.empty() || e.size() > 254) return false;
  size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : e)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';') return false;
  std::string_view domain = e.substr(at + 1);
  size_t dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return false;
  return at <= 64;
}

}  // namespace tally
