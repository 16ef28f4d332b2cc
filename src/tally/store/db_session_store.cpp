// See db_session_store.hpp. Expiry is stored as ISO-8601 UTC at second precision, truncated, so a
// session never outlives its expiry by more than the sub-second part.
#include "tally/store/db_session_store.hpp"

#include <nlohmann/json.hpp>

#include "mno/util/iso8601.hpp"
#include "tally/domain/secret_digest.hpp"

namespace tally {

DbSessionStore::DbSessionStore(mno::db::Database& db, const mno::Clock& clock) : db_(db), clock_(clock) {}

mno::Result<std::optional<web::Session>> DbSessionStore::load(const std::string& id) {
  if (id.empty()) return std::optional<web::Session>{};
  auto row = db_.transact(
      [&](mno::db::Connection& tx) {
        return tx.query_one("SELECT data, csrf_token, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
                            {sha256_hex(id), mno::format_iso8601(clock_.now())});
      },
      mno::db::TxKind::read);
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<web::Session>{};
  web::Session s;
  s.id = id;
  s.csrf_token = (*row)->text("csrf_token");
  auto expires = mno::parse_iso8601((*row)->text("expires_at"));
  if (!expires.ok()) return expires.error();
  s.expires = *expires;
  auto data = nlohmann::json::parse((*row)->text("data"), nullptr, false);
  if (data.is_discarded() || !data.is_object())
    return mno::make_error("session.corrupt", "stored session data is not a JSON object");
  for (auto it = data.begin(); it != data.end(); ++it)
    if (it->is_string()) s.data[it.key()] = it->get<std::string>();
  return std::optional<web::Session>{std::move(s)};
}

mno::Status DbSessionStore::save(const web::Session& session) {
  if (session.id.empty()) return mno::make_error("session.invalid", "a session needs an id");
  nlohmann::json data = nlohmann::json::object();
  for (const auto& [k, v] : session.data) data[k] = v;
  // error_handler::replace: data the app stored with invalid UTF-8 must not make saving throw.
  const std::string json = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto n = db_.transact([&](mno::db::Connection& tx) {
    return tx.execute(
        "INSERT INTO sessions (id_hash, data, csrf_token, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, csrf_token = excluded.csrf_token, "
        "expires_at = excluded.expires_at, updated_at = excluded.updated_at",
        {sha256_hex(session.id), json, session.csrf_token, mno::format_iso8601(session.expires),
         mno::format_iso8601(clock_.now())});
  });
  if (!n.ok()) return n.error();
  return {};
}

mno::Status DbSessionStore::erase(const std::string& id) {
  auto n = db_.transact(
      [&](mno::db::Connection& tx) { return tx.execute("DELETE FROM sessions WHERE id_hash = $1", {sha256_hex(id)}); });
  if (!n.ok()) return n.error();
  return {};
}

mno::Result<int64_t> DbSessionStore::purge_expired() {
  return db_.transact([&](mno::db::Connection& tx) {
    return tx.execute("DELETE FROM sessions WHERE expires_at <= $1", {mno::format_iso8601(clock_.now())});
  });
}

}  // namespace tally
