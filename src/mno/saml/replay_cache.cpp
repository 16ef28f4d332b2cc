// Persistent (database) and in-memory replay caches of Assertion IDs; see replay_cache.hpp.
#include "mno/saml/replay_cache.hpp"

namespace mno::saml {
namespace {

int64_t epoch(TimePoint t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

Error storage_error(const Error& e) { return make_error("saml.storage", "replay cache: " + e.code + ": " + e.message); }

}  // namespace

std::vector<db::Migration> replay_cache_migrations(int base_version) {
  return {
      {base_version, "saml replay cache",
       "CREATE TABLE saml_replay_cache (scope TEXT NOT NULL, assertion_id TEXT NOT NULL, expires_at BIGINT NOT NULL, "
       "PRIMARY KEY (scope, assertion_id));"
       "CREATE INDEX saml_replay_cache_expiry ON saml_replay_cache (expires_at);",
       ""},
  };
}

DbReplayCache::DbReplayCache(std::shared_ptr<db::Database> db) : db_(std::move(db)) {}

Status DbReplayCache::remember(std::string_view scope, std::string_view id, TimePoint expires_at) {
  if (id.empty()) return make_error("saml.storage", "assertion id is required");
  // The primary key decides between racing processes; ON CONFLICT DO NOTHING reports it as 0 rows
  // instead of an error, on both SQLite and PostgreSQL.
  auto r = db_->execute(
      "INSERT INTO saml_replay_cache (scope, assertion_id, expires_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (scope, assertion_id) DO NOTHING",
      {scope, id, epoch(expires_at)});
  if (!r) return storage_error(r.error());
  if (*r == 0) return make_error("saml.replay", "assertion was already used");
  return {};
}

Result<int64_t> DbReplayCache::purge_expired(TimePoint now) {
  auto r = db_->execute("DELETE FROM saml_replay_cache WHERE expires_at <= $1", {epoch(now)});
  if (!r) return storage_error(r.error());
  return *r;
}

Status MemoryReplayCache::remember(std::string_view scope, std::string_view id, TimePoint expires_at) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = entries_.emplace(std::make_pair(std::string(scope), std::string(id)), expires_at);
  if (!inserted) return make_error("saml.replay", "assertion was already used");
  return {};
}

Result<int64_t> MemoryReplayCache::purge_expired(TimePoint now) {
  std::lock_guard lock(mu_);
  int64_t n = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second <= now) {
      it = entries_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

}  // namespace mno::saml
