// See schema.hpp. The schema is assembled from one list per area so that areas can grow in
// parallel; versions are global. migrate() applies every version above the database's current
// maximum, so a new migration must ALWAYS get a version above every existing one: the ranges
// below were reserved for the first build-out only (tenancy 2-19, records 20-49); from then on,
// append at the end with the next free number above 49, whatever the area.
#include "tally/store/schema.hpp"

#include "mno/sync/import_schema.hpp"
#include "mno/sync/schema.hpp"
#include "tally/store/billing_schema.hpp"
#include "tally/store/record_counts.hpp"
#include "tally/store/records_schema.hpp"
#include "tally/store/tenancy_schema.hpp"

namespace tally {

const std::vector<mno::db::Migration>& schema_migrations() {
  static const std::vector<mno::db::Migration> all = [] {
    std::vector<mno::db::Migration> m = {
        {1, "instance settings",
         "CREATE TABLE instance_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);", ""},
    };
    for (auto* area : {&tenancy_migrations, &records_migrations, &billing_migrations, &store::record_counts_migrations})
      for (const auto& x : (*area)()) m.push_back(x);
    // Connec! sync engine tables (id map, outbox, inbox): versions 70.. of the sync range 70-79.
    for (const auto& x : mno::sync::sync_migrations(70)) m.push_back(x);
    // The initial-import tables (runs, progress per collection): versions 75.. of the same range.
    for (const auto& x : mno::sync::import_migrations(75)) m.push_back(x);
    return m;
  }();
  return all;
}

}  // namespace tally
