// SQL for the memberships table and the joins the account pages need (company switcher, team).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/membership.hpp"

namespace tally::store {

mno::Result<Membership> insert_membership(mno::db::Connection& tx, int64_t user_id, int64_t company_id, Role role,
                                          const std::string& now);
mno::Result<std::optional<Membership>> find_membership(mno::db::Connection& tx, int64_t user_id, int64_t company_id,
                                                       bool lock = false);
// Sets role and status, bumps the version; returns rows affected.
mno::Result<int64_t> update_membership(mno::db::Connection& tx, int64_t membership_id, Role role,
                                       MembershipStatus status, const std::string& now);
mno::Result<int64_t> count_active_super_admins(mno::db::Connection& tx, int64_t company_id);
// Active memberships in usable (active/trialing) companies, sorted by company name.
mno::Result<std::vector<CompanyAccess>> list_company_access(mno::db::Connection& tx, int64_t user_id);
mno::Result<std::vector<Member>> list_members(mno::db::Connection& tx, int64_t company_id, bool include_revoked);
mno::Result<std::optional<Member>> find_member(mno::db::Connection& tx, int64_t company_id, int64_t user_id);

}  // namespace tally::store
