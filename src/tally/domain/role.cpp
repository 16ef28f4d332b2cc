// See role.hpp.
#include "tally/domain/role.hpp"

#include <cctype>
#include <string>

namespace tally {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::member: return "member";
    case Role::power_user: return "power_user";
    case Role::admin: return "admin";
    case Role::super_admin: return "super_admin";
  }
  return "member";
}

std::string_view display_name(Role role) {
  switch (role) {
    case Role::member: return "Member";
    case Role::power_user: return "Power User";
    case Role::admin: return "Admin";
    case Role::super_admin: return "Super Admin";
  }
  return "Member";
}

std::optional<Role> parse_role(std::string_view text) {
  // Fold "Power User", "power-user" and "POWER_USER" onto the code form.
  std::string key;
  for (char c : text) {
    if (c == ' ' || c == '-') c = '_';
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (Role r : {Role::member, Role::power_user, Role::admin, Role::super_admin})
    if (key == to_string(r)) return r;
  return std::nullopt;
}

}  // namespace tally
