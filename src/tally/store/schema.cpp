// See schema.hpp. Append new migrations at the end; never edit one that has shipped.
#include "tally/store/schema.hpp"

namespace tally {

const std::vector<mno::db::Migration>& schema_migrations() {
  static const std::vector<mno::db::Migration> m = {
      {1, "instance settings",
       "CREATE TABLE instance_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);", ""},
  };
  return m;
}

}  // namespace tally
