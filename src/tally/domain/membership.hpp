// Memberships: a user in a company with a role. Revoked memberships are kept (history) but give no access.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tally/domain/company.hpp"
#include "tally/domain/role.hpp"

namespace tally {

enum class MembershipStatus { active, revoked };

std::string_view to_string(MembershipStatus status);  // "active", "revoked"
std::optional<MembershipStatus> parse_membership_status(std::string_view text);

struct Membership {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t company_id = 0;
  Role role = Role::member;
  MembershipStatus status = MembershipStatus::active;
  std::string created_at;
  std::string updated_at;
  int64_t version = 1;
};

// A company the user can open (the company switcher): memberships_of() lists these.
struct CompanyAccess {
  int64_t company_id = 0;
  std::string company_name;
  CompanyStatus company_status = CompanyStatus::active;
  Role role = Role::member;
};

// A row of the team page: members() lists these.
struct Member {
  int64_t user_id = 0;
  std::string email;
  std::string first_name;
  std::string last_name;
  Role role = Role::member;
  MembershipStatus status = MembershipStatus::active;
  std::string joined_at;  // membership created_at
};

}  // namespace tally
