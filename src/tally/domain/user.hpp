// Users: people who log in. Global (not tenant records): a user belongs to companies through
// memberships. The email is unique case-insensitively (stored lower-cased in email_normalized).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tally {

enum class UserStatus { active, disabled };

std::string_view to_string(UserStatus status);  // "active", "disabled"
std::optional<UserStatus> parse_user_status(std::string_view text);

struct User {
  int64_t id = 0;
  std::string email;  // as the user typed it (trimmed)
  std::string first_name;
  std::string last_name;
  bool has_password = false;  // false for users who came from the marketplace and never set one
  UserStatus status = UserStatus::active;
  std::string created_at;
  std::string updated_at;
  int64_t version = 1;

  std::string display_name() const;  // "First Last", or the email when both names are empty
};

// Trimmed and lower-cased: the uniqueness and lookup key.
std::string normalize_email(std::string_view email);
// A pragmatic shape check: one '@', non-empty local part, a dotted domain, no spaces, <= 254 chars.
bool is_valid_email(std::string_view email);

}  // namespace tally
