// See user_store.hpp.
#include "tally/store/user_store.hpp"

namespace tally::store {
namespace {

constexpr const char* kColumns =
    "id, email, first_name, last_name, password_hash, status, created_at, updated_at, version";

UserRecord from_row(const mno::db::Row& r) {
  UserRecord u;
  u.user.id = r.i64("id");
  u.user.email = r.text("email");
  u.user.first_name = r.text("first_name");
  u.user.last_name = r.text("last_name");
  u.password_hash = r.opt_text("password_hash");
  u.user.has_password = u.password_hash.has_value();
  u.user.status = parse_user_status(r.text("status")).value_or(UserStatus::disabled);
  u.user.created_at = r.text("created_at");
  u.user.updated_at = r.text("updated_at");
  u.user.version = r.i64("version");
  return u;
}

mno::Result<std::optional<UserRecord>> one(mno::Result<std::optional<mno::db::Row>> r) {
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<UserRecord>{};
  return std::optional<UserRecord>{from_row(**r)};
}

}  // namespace

mno::Result<UserRecord> insert_user(mno::db::Connection& tx, const std::string& email,
                                    const std::string& email_normalized, const std::string& first_name,
                                    const std::string& last_name, const std::optional<std::string>& password_hash,
                                    const std::string& now) {
  auto r = tx.query_one(std::string("INSERT INTO users (email, email_normalized, first_name, last_name, password_hash, "
                                    "status, created_at, updated_at, version) "
                                    "VALUES ($1, $2, $3, $4, $5, 'active', $6, $6, 1) RETURNING ") +
                            kColumns,
                        {email, email_normalized, first_name, last_name, password_hash, now});
  if (!r.ok()) return r.error();
  if (!*r) return mno::make_error("db.sql", "INSERT INTO users returned no row");
  return from_row(**r);
}

mno::Result<std::optional<UserRecord>> find_user(mno::db::Connection& tx, int64_t id, bool lock) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM users WHERE id = $1";
  if (lock) sql += mno::db::for_update(tx.dialect());
  return one(tx.query_one(sql, {id}));
}

mno::Result<std::optional<UserRecord>> find_user_by_email(mno::db::Connection& tx, const std::string& email_normalized) {
  return one(tx.query_one(std::string("SELECT ") + kColumns + " FROM users WHERE email_normalized = $1",
                          {email_normalized}));
}

mno::Result<int64_t> update_password_hash(mno::db::Connection& tx, int64_t id, const std::string& password_hash,
                                          const std::string& now) {
  return tx.execute("UPDATE users SET password_hash = $1, updated_at = $2, version = version + 1 WHERE id = $3",
                    {password_hash, now, id});
}

}  // namespace tally::store
