// A member's role in a company, matching the Maestrano platform's group roles (Member, Power User,
// Admin, Super Admin) so marketplace memberships map one to one. Stored as the lower-case code.
#pragma once
#include <optional>
#include <string_view>

namespace tally {

// Ordered by privilege: a higher value may do everything a lower one may.
enum class Role { member = 0, power_user = 1, admin = 2, super_admin = 3 };

// "member", "power_user", "admin", "super_admin": the stored and API form.
std::string_view to_string(Role role);
// "Member", "Power User", "Admin", "Super Admin": what the UI shows and the platform sends.
std::string_view display_name(Role role);
// Accepts the code ("power_user") or the platform's display name ("Power User"), case-insensitive.
std::optional<Role> parse_role(std::string_view text);

// Admins and Super Admins manage the team (roles, members).
inline bool can_manage_team(Role role) { return role >= Role::admin; }

}  // namespace tally
