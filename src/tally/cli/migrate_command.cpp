// `tally migrate`: applies the pending schema migrations and prints the resulting version.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "tally/app/settings.hpp"
#include "tally/cli/cli_support.hpp"
#include "tally/cli/commands.hpp"
#include "tally/store/schema.hpp"

namespace tally {

void add_migrate_command(CLI::App& app, CommandRunner& run) {
  auto settings = std::make_shared<Settings>();
  auto* cmd = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  add_database_option(*cmd, *settings);
  cmd->callback([settings, &run] {
    run = [settings] {
      int exit_code = 0;
      auto db = open_database_or_report(*settings, exit_code);
      if (!db) return exit_code;
      auto before = mno::db::schema_version(*db);
      if (auto s = mno::db::migrate(*db, schema_migrations()); !s) {
        std::cerr << "tally: migration failed: " << s.error().message << "\n";
        return 1;
      }
      auto after = mno::db::schema_version(*db);
      std::cout << "schema version " << (before ? std::to_string(*before) : "?") << " -> "
                << (after ? std::to_string(*after) : "?") << " (latest " << std::max_element(schema_migrations().begin(), schema_migrations().end(), [](const auto& a, const auto& b) { return a.version < b.version; })->version << ")\n";
      return 0;
    };
  });
}

}  // namespace tally
