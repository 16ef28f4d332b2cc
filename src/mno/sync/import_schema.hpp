// Tables of the initial import (importer.hpp): sync_import_runs (one row per import of a tenant, claimed with a
// lease) and sync_import_progress (one row per run and collection: cursor and progress). Separate from
// sync_migrations so an app numbers them in its own range: import_migrations(base) uses versions
// base .. base+kImportMigrationCount-1. Times are epoch milliseconds like the other sync tables.
#pragma once
#include <vector>

#include "mno/db/migrations.hpp"

namespace mno::sync {

inline constexpr int kImportMigrationCount = 1;

std::vector<db::Migration> import_migrations(int base_version);

}  // namespace mno::sync
