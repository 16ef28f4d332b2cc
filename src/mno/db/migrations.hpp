// Schema migrations: numbered SQL scripts applied once, in order, recorded in schema_migrations.
// Each migration runs in its own write transaction together with its bookkeeping row, so a failed
// migration leaves no trace. Two processes migrating at once are safe: PostgreSQL takes
// pg_advisory_xact_lock, SQLite's BEGIN IMMEDIATE already excludes other writers.
#pragma once
#include <string>
#include <vector>
#include "mno/db/database.hpp"
#include "mno/util/result.hpp"

namespace mno::db {

struct Migration {
  int version;               // > 0, unique
  std::string name;          // short description, recorded with the version
  std::string sql;           // portable script (both dialects)
  std::string postgres_sql;  // optional override used on PostgreSQL when the dialects differ
};

// Applies the missing migrations. Errors: db.migration_invalid (bad or duplicate versions),
// db.schema_too_new (the database is at a version newer than the newest migration given: refuse to
// run old code on a newer schema), or the error of the failing migration (its message names it).
Status migrate(Database& db, const std::vector<Migration>& migrations);

// Highest applied version; 0 for a database never migrated.
Result<int> schema_version(Database& db);

}  // namespace mno::db
