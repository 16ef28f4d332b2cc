// Persistent cache of accepted Assertion IDs (SAML profiles 4.1.4.5: keep them until they expire), so
// that a captured response cannot be posted again, even to another process or after a restart.
#pragma once
#include <memory>
#include <mutex>
#include <map>
#include <string>
#include <string_view>
#include <vector>
#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::saml {

class ReplayCache {
 public:
  virtual ~ReplayCache() = default;
  // Records (scope, id) until expires_at. Errors: saml.replay when it is already recorded (a unique key
  // conflict, so two processes racing with the same assertion cannot both succeed), saml.storage.
  // scope = the marketplace name, so two IdPs' ID spaces never collide.
  virtual Status remember(std::string_view scope, std::string_view id, TimePoint expires_at) = 0;
  virtual Result<int64_t> purge_expired(TimePoint now) = 0;
};

// Table saml_replay_cache ((scope, assertion_id) PK, expires_at epoch seconds); versions from base_version.
std::vector<db::Migration> replay_cache_migrations(int base_version);

class DbReplayCache final : public ReplayCache {
 public:
  explicit DbReplayCache(std::shared_ptr<db::Database> db);
  Status remember(std::string_view scope, std::string_view id, TimePoint expires_at) override;
  Result<int64_t> purge_expired(TimePoint now) override;

 private:
  std::shared_ptr<db::Database> db_;
};

// In-process cache for the verify tool and tests (not persistent: never for a real ACS).
class MemoryReplayCache final : public ReplayCache {
 public:
  Status remember(std::string_view scope, std::string_view id, TimePoint expires_at) override;
  Result<int64_t> purge_expired(TimePoint now) override;

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, TimePoint> entries_;
};

}  // namespace mno::saml
