// See membership_store.hpp.
#include "tally/store/membership_store.hpp"

namespace tally::store {
namespace {

constexpr const char* kColumns = "id, user_id, company_id, role, status, created_at, updated_at, version";
constexpr const char* kMemberSelect =
    "SELECT u.id AS user_id, u.email, u.first_name, u.last_name, m.role, m.status, m.created_at "
    "FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.company_id = $1";

Membership from_row(const mno::db::Row& r) {
  Membership m;
  m.id = r.i64("id");
  m.user_id = r.i64("user_id");
  m.company_id = r.i64("company_id");
  m.role = parse_role(r.text("role")).value_or(Role::member);
  m.status = parse_membership_status(r.text("status")).value_or(MembershipStatus::revoked);
  m.created_at = r.text("created_at");
  m.updated_at = r.text("updated_at");
  m.version = r.i64("version");
  return m;
}

Member member_from_row(const mno::db::Row& r) {
  Member m;
  m.user_id = r.i64("user_id");
  m.email = r.text("email");
  m.first_name = r.text("first_name");
  m.last_name = r.text("last_name");
  m.role = parse_role(r.text("role")).value_or(Role::member);
  m.status = parse_membership_status(r.text("status")).value_or(MembershipStatus::revoked);
  m.joined_at = r.text("created_at");
  return m;
}

}  // namespace

mno::Result<Membership> insert_membership(mno::db::Connection& tx, int64_t user_id, int64_t company_id, Role role,
                                          const std::string& now) {
  auto r = tx.query_one(std::string("INSERT INTO memberships (user_id, company_id, role, status, created_at, "
                                    "updated_at, version) VALUES ($1, $2, $3, 'active', $4, $4, 1) RETURNING ") +
                            kColumns,
                        {user_id, company_id, to_string(role), now});
  if (!r.ok()) return r.error();
  if (!*r) return mno::make_error("db.sql", "INSERT INTO memberships returned no row");
  return from_row(**r);
}

mno::Result<std::optional<Membership>> find_membership(mno::db::Connection& tx, int64_t user_id, int64_t company_id,
                                                       bool lock) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM memberships WHERE user_id = $1 AND company_id = $2";
  if (lock) sql += mno::db::for_update(tx.dialect());
  auto r = tx.query_one(sql, {user_id, company_id});
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<Membership>{};
  return std::optional<Membership>{from_row(**r)};
}

mno::Result<int64_t> update_membership(mno::db::Connection& tx, int64_t membership_id, Role role,
                                       MembershipStatus status, const std::string& now) {
  return tx.execute(
      "UPDATE memberships SET role = $1, status = $2, updated_at = $3, version = version + 1 WHERE id = $4",
      {to_string(role), to_string(status), now, membership_id});
}

mno::Result<int64_t> count_active_super_admins(mno::db::Connection& tx, int64_t company_id) {
  auto r = tx.query_one(
      "SELECT COUNT(*) AS n FROM memberships m JOIN users u ON u.id = m.user_id "
      "WHERE m.company_id = $1 AND m.role = 'super_admin' AND m.status = 'active' AND u.status = 'active'",
      {company_id});
  if (!r.ok()) return r.error();
  return *r ? (*r)->i64("n") : 0;
}

mno::Result<std::vector<CompanyAccess>> list_company_access(mno::db::Connection& tx, int64_t user_id) {
  auto rows = tx.query(
      "SELECT c.id, c.name, c.status, m.role FROM memberships m JOIN companies c ON c.id = m.company_id "
      "WHERE m.user_id = $1 AND m.status = 'active' AND c.status IN ('active','trialing') "
      "ORDER BY c.name, c.id",
      {user_id});
  if (!rows.ok()) return rows.error();
  std::vector<CompanyAccess> out;
  for (const auto& r : *rows) {
    CompanyAccess a;
    a.company_id = r.i64("id");
    a.company_name = r.text("name");
    a.company_status = parse_company_status(r.text("status")).value_or(CompanyStatus::active);
    a.role = parse_role(r.text("role")).value_or(Role::member);
    out.push_back(std::move(a));
  }
  return out;
}

mno::Result<std::vector<Member>> list_members(mno::db::Connection& tx, int64_t company_id, bool include_revoked) {
  std::string sql = kMemberSelect;
  if (!include_revoked) sql += " AND m.status = 'active'";
  sql += " ORDER BY u.last_name, u.first_name, u.email_normalized";
  auto rows = tx.query(sql, {company_id});
  if (!rows.ok()) return rows.error();
  std::vector<Member> out;
  for (const auto& r : *rows) out.push_back(member_from_row(r));
  return out;
}

mno::Result<std::optional<Member>> find_member(mno::db::Connection& tx, int64_t company_id, int64_t user_id) {
  auto r = tx.query_one(std::string(kMemberSelect) + " AND m.user_id = $2", {company_id, user_id});
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<Member>{};
  return std::optional<Member>{member_from_row(**r)};
}

}  // namespace tally::store
