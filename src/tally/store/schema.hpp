// Tally's versioned database schema: the ordered list of migrations, applied at startup and by
// `tally migrate`, identical on SQLite and PostgreSQL except where a migration says otherwise.
#pragma once
#include <vector>

#include "mno/db/migrations.hpp"

namespace tally {

const std::vector<mno::db::Migration>& schema_migrations();

}  // namespace tally
