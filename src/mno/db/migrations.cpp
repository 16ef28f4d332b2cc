// Schema migrations (see migrations.hpp). Every step takes the migration lock first: on PostgreSQL a
// transaction-scoped advisory lock, on SQLite the BEGIN IMMEDIATE write lock that every write
// transaction already holds. So concurrent migrators run one after the other and the second one
// finds the work done.
#include "mno/db/migrations.hpp"

#include <algorithm>
#include <set>

#include "mno/util/clock.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"

namespace mno::db {

namespace {

constexpr int64_t kAdvisoryLockKey = 0x6d6e6f5f6d6967;  // "mno_mig"

Status lock_and_ensure_table(Connection& c) {
  if (c.dialect() == Dialect::postgres) {
    auto r = c.query("SELECT pg_advisory_xact_lock($1)", {kAdvisoryLockKey});
    if (!r.ok()) return r.error();
  }
  return c.execute_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
}

Result<int> current_version(Connection& c) {
  auto row = c.query_one("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations");
  if (!row.ok()) return row.error();
  return static_cast<int>((*row)->i64(0));
}

}  // namespace

Status migrate(Database& db, const std::vector<Migration>& migrations) {
  std::vector<const Migration*> ordered;
  std::set<int> seen;
  for (const auto& m : migrations) {
    if (m.version <= 0) {
      return make_error("db.migration_invalid", "migration '" + m.name + "' has version " +
                                                    std::to_string(m.version) + "; versions start at 1");
    }
    if (!seen.insert(m.version).second) {
      return make_error("db.migration_invalid", "migration version " + std::to_string(m.version) + " is used twice");
    }
    ordered.push_back(&m);
  }
  std::sort(ordered.begin(), ordered.end(), [](auto a, auto b) { return a->version < b->version; });
  const int newest = ordered.empty() ? 0 : ordered.back()->version;

  Status checked = db.transaction([&](Connection& c) -> Status {
    if (auto s = lock_and_ensure_table(c); !s.ok()) return s;
    auto v = current_version(c);
    if (!v.ok()) return v.error();
    if (*v > newest) {
      return make_error("db.schema_too_new", "database schema is at version " + std::to_string(*v) +
                                                 " but this program only knows up to " + std::to_string(newest) +
                                                 "; refusing to run against a newer schema (upgrade the program)");
    }
    return {};
  });
  if (!checked.ok()) return checked;

  for (const Migration* m : ordered) {
    bool applied = false;
    Status s = db.transaction([&](Connection& c) -> Status {
      applied = false;
      if (auto s = lock_and_ensure_table(c); !s.ok()) return s;
      auto done = c.query_one("SELECT 1 FROM schema_migrations WHERE version = $1", {m->version});
      if (!done.ok()) return done.error();
      if (done->has_value()) return {};
      const std::string& script =
          c.dialect() == Dialect::postgres && !m->postgres_sql.empty() ? m->postgres_sql : m->sql;
      if (auto r = c.execute_script(script); !r.ok()) {
        return make_error(r.error().code, "migration " + std::to_string(m->version) + " (" + m->name +
                                              ") failed: " + r.error().message);
      }
      auto ins = c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                           {m->version, m->name, format_iso8601(SystemClock::instance().now())});
      if (!ins.ok()) return ins.error();
      applied = true;
      return {};
    });
    if (!s.ok()) return s;
    if (applied) {
      log::info("db.migration_applied", {{"version", std::to_string(m->version)}, {"name", m->name}});
    }
  }
  return {};
}

Result<int> schema_version(Database& db) {
  return db.transact<int>(
      [](Connection& c) -> Result<int> {
        std::string exists_sql = c.dialect() == Dialect::postgres
                                     ? "SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL"
                                     : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        auto exists = c.query_one(exists_sql);
        if (!exists.ok()) return exists.error();
        if (!exists->has_value()) return 0;
        return current_version(c);
      },
      TxKind::read);
}

}  // namespace mno::db
