// AccountService: the one place for local account actions: sign-up, login (with database-backed
// throttling), passwords, the companies a user can open, and team management (roles, members).
// Error codes: validation.failed (Error::fields), auth.invalid_credentials (one generic message
// whatever was wrong), auth.throttled (Error::fields["retry_after"] = seconds), auth.forbidden,
// auth.password_already_set, record.not_found, record.in_use (last Super Admin).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/company.hpp"
#include "tally/domain/company_service.hpp"
#include "tally/domain/login_throttle.hpp"
#include "tally/domain/membership.hpp"
#include "tally/domain/password_hasher.hpp"
#include "tally/domain/role.hpp"
#include "tally/domain/user.hpp"

namespace tally {

// As typed in the sign-up form. Field names in errors are these member names.
struct SignUpInput {
  std::string email;
  std::string password;
  std::string first_name;
  std::string last_name;
  std::string company_name;
  std::string currency;
  std::string timezone;
  std::string country;
};

struct SignUpResult {
  User user;
  Company company;
  Role role = Role::super_admin;
};

class AccountService {
 public:
  AccountService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink, const PasswordHasher& hasher,
                 ThrottlePolicy throttle = {});

  // Creates the user, the company (active) and a super_admin membership in ONE transaction.
  // validation.failed with one message per bad field (email "is already registered" when taken).
  mno::Result<SignUpResult> sign_up(const SignUpInput& input);

  // The user, or auth.invalid_credentials ("Email or password is incorrect") for an unknown
  // email, a wrong password, a user without password or a disabled user; auth.throttled first
  // when too many recent failures for the email or remote_ip.
  mno::Result<User> authenticate(const std::string& email, const std::string& password, const std::string& remote_ip);

  // validation.failed: field "current_password" ("is incorrect") or "new_password" (policy). record.not_found.
  mno::Status change_password(int64_t user_id, const std::string& current_password, const std::string& new_password);
  // For users without a password (marketplace users). auth.password_already_set when they have one.
  mno::Status set_password(int64_t user_id, const std::string& new_password);

  mno::Result<User> get_user(int64_t user_id);
  mno::Result<std::optional<User>> find_user_by_email(const std::string& email);

  // Companies the user can open: active membership, company active or trialing; sorted by name.
  mno::Result<std::vector<CompanyAccess>> memberships_of(int64_t user_id);
  // The user's role in the company. record.not_found: no such company or the user never was a
  // member; auth.forbidden: membership revoked, user disabled, or company cancelled/blocked.
  mno::Result<Role> membership(int64_t user_id, int64_t company_id);

  // Team page: members sorted by last name, first name, email; revoked ones only when asked.
  mno::Result<std::vector<Member>> members(int64_t company_id, bool include_revoked = false);
  // Rules: the actor must be an active Admin or Super Admin (auth.forbidden); only a Super Admin
  // grants or removes Super Admin (auth.forbidden); the last Super Admin cannot be demoted or
  // revoked (record.in_use). target not a member → record.not_found.
  mno::Status set_role(int64_t actor_user_id, int64_t company_id, int64_t target_user_id, Role role);
  // Adds an existing user (re-activates a revoked membership). validation.failed field "email"
  // ("no user with this email" / "is already a member") or "role"; same authorisation rules.
  mno::Result<Member> add_member(int64_t actor_user_id, int64_t company_id, const std::string& email, Role role);
  // The target loses access to the company. Same rules as set_role.
  mno::Status revoke_member(int64_t actor_user_id, int64_t company_id, int64_t target_user_id);

  LoginThrottle& throttle() { return throttle_; }

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  const PasswordHasher& hasher_;
  CompanyService companies_;
  LoginThrottle throttle_;
};

}  // namespace tally
