// See api_token_store.hpp.
#include "tally/store/api_token_store.hpp"

namespace tally::store {
namespace {

constexpr const char* kSelect =
    "SELECT t.id, t.user_id, t.company_id, c.name AS company_name, t.name, t.hint, t.created_at, t.last_used_at, "
    "t.revoked_at FROM api_tokens t JOIN companies c ON c.id = t.company_id ";

ApiToken from_row(const mno::db::Row& r) {
  ApiToken t;
  t.id = r.i64("id");
  t.user_id = r.i64("user_id");
  t.company_id = r.i64("company_id");
  t.company_name = r.text("company_name");
  t.name = r.text("name");
  t.hint = r.text("hint");
  t.created_at = r.text("created_at");
  t.last_used_at = r.opt_text("last_used_at");
  t.revoked_at = r.opt_text("revoked_at");
  return t;
}

mno::Result<std::optional<ApiToken>> one(mno::Result<std::optional<mno::db::Row>> r) {
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<ApiToken>{};
  return std::optional<ApiToken>{from_row(**r)};
}

}  // namespace

mno::Result<ApiToken> insert_api_token(mno::db::Connection& tx, int64_t user_id, int64_t company_id,
                                       const std::string& name, const std::string& token_hash,
                                       const std::string& hint, const std::string& now) {
  auto id = tx.query_one(
      "INSERT INTO api_tokens (user_id, company_id, name, token_hash, hint, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {user_id, company_id, name, token_hash, hint, now});
  if (!id.ok()) return id.error();
  if (!*id) return mno::make_error("db.sql", "INSERT INTO api_tokens returned no row");
  auto t = find_api_token(tx, user_id, (*id)->i64("id"));
  if (!t.ok()) return t.error();
  if (!*t) return mno::make_error("db.sql", "API token vanished after insert");
  return std::move(**t);
}

mno::Result<std::vector<ApiToken>> list_api_tokens(mno::db::Connection& tx, int64_t user_id) {
  auto rows = tx.query(std::string(kSelect) + "WHERE t.user_id = $1 ORDER BY t.id DESC", {user_id});
  if (!rows.ok()) return rows.error();
  std::vector<ApiToken> out;
  for (const auto& r : *rows) out.push_back(from_row(r));
  return out;
}

mno::Result<std::optional<ApiToken>> find_api_token(mno::db::Connection& tx, int64_t user_id, int64_t token_id) {
  return one(tx.query_one(std::string(kSelect) + "WHERE t.user_id = $1 AND t.id = $2", {user_id, token_id}));
}

mno::Result<int64_t> revoke_api_token(mno::db::Connection& tx, int64_t token_id, const std::string& now) {
  return tx.execute("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", {now, token_id});
}

mno::Result<std::optional<ApiToken>> find_api_token_by_hash(mno::db::Connection& tx, const std::string& token_hash) {
  return one(tx.query_one(std::string(kSelect) + "WHERE t.token_hash = $1", {token_hash}));
}

mno::Result<int64_t> touch_api_token(mno::db::Connection& tx, int64_t token_id, const std::string& now) {
  return tx.execute("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", {now, token_id});
}

}  // namespace tally::store
