// See identity_store.hpp.
#include "tally/store/identity_store.hpp"

namespace tally::store {

mno::Result<std::optional<int64_t>> find_user_by_identity(mno::db::Connection& tx, const std::string& marketplace,
                                                          const std::string& uid) {
  auto r = tx.query_one("SELECT user_id FROM user_identities WHERE marketplace = $1 AND uid = $2", {marketplace, uid});
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<int64_t>{};
  return std::optional<int64_t>{(*r)->i64(0)};
}

mno::Result<std::optional<std::string>> find_identity_of_user(mno::db::Connection& tx, const std::string& marketplace,
                                                              int64_t user_id) {
  auto r = tx.query_one("SELECT uid FROM user_identities WHERE marketplace = $1 AND user_id = $2 ORDER BY id LIMIT 1",
                        {marketplace, user_id});
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<std::string>{};
  return std::optional<std::string>{(*r)->text(0)};
}

mno::Status insert_identity(mno::db::Connection& tx, const std::string& marketplace, const std::string& uid,
                            int64_t user_id, const std::string& now) {
  auto r = tx.execute("INSERT INTO user_identities (marketplace, uid, user_id, created_at) VALUES ($1, $2, $3, $4)",
                      {marketplace, uid, user_id, now});
  if (!r.ok()) return r.error();
  return {};
}

mno::Result<std::vector<int64_t>> find_user_ids_by_email(mno::db::Connection& tx, const std::string& email_normalized) {
  auto rows = tx.query("SELECT id FROM users WHERE email_normalized = $1 ORDER BY id", {email_normalized});
  if (!rows.ok()) return rows.error();
  std::vector<int64_t> ids;
  for (const auto& row : *rows) ids.push_back(row.i64(0));
  return ids;
}

mno::Result<int64_t> update_user_profile(mno::db::Connection& tx, int64_t user_id, const std::string& email,
                                         const std::string& email_normalized, const std::string& first_name,
                                         const std::string& last_name, const std::string& now) {
  return tx.execute(
      "UPDATE users SET email = $1, email_normalized = $2, first_name = $3, last_name = $4, updated_at = $5, "
      "version = version + 1 WHERE id = $6",
      {email, email_normalized, first_name, last_name, now, user_id});
}

}  // namespace tally::store
