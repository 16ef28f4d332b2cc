// `tally sync status [--company ID]`: the data-sharing summary of one company (or of every company with sync
// activity): import progress per collection, outbox and inbox counts, records waiting or dead-lettered with
// their reason. The same summary as the data-sharing page (tally/sync/sync_status.hpp).
#include <CLI/CLI.hpp>

#include <iostream>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "tally/app/settings.hpp"
#include "tally/cli/cli_support.hpp"
#include "tally/cli/commands.hpp"
#include "tally/sync/sync_status.hpp"
#include "tally/sync/tenant_directory.hpp"

namespace tally {

int run_sync_status(mno::db::Database& db, std::optional<int64_t> company_id, mno::TimePoint now, std::ostream& out,
                    std::ostream& err) {
  std::vector<std::string> tenants;
  if (company_id) {
    tenants.push_back(sync::tenant_key(*company_id));
  } else {
    auto all = sync::list_sync_tenants(db);
    if (!all) {
      err << "tally: cannot read the sync tables: " << all.error().message << " [" << all.error().code << "]\n";
      return 1;
    }
    tenants = std::move(*all);
    if (tenants.empty()) out << "No company has shared data yet.\n";
  }
  for (size_t i = 0; i < tenants.size(); ++i) {
    auto status = sync::load_sync_status(db, tenants[i]);
    if (!status) {
      err << "tally: cannot read the sync status: " << status.error().message << " [" << status.error().code << "]\n";
      return 1;
    }
    if (i > 0) out << "\n";
    out << sync::format_sync_status(*status, now);
  }
  return 0;
}

void add_sync_command(CLI::App& app, CommandRunner& run) {
  auto settings = std::make_shared<Settings>();
  auto company = std::make_shared<int64_t>(0);
  auto* cmd = app.add_subcommand("sync", "Connec! data sharing");
  cmd->require_subcommand(1);
  auto* status = cmd->add_subcommand("status", "Print the import progress and the records waiting or failed");
  add_database_option(*status, *settings);
  status->add_option("--company", *company, "Only this company (its id)")->check(CLI::PositiveNumber);
  status->callback([settings, company, &run] {
    run = [settings, company] {
      int exit_code = 0;
      auto db = open_database_or_report(*settings, exit_code);
      if (!db) return exit_code;
      return run_sync_status(*db, *company > 0 ? std::optional<int64_t>(*company) : std::nullopt,
                             mno::SystemClock::instance().now(), std::cout, std::cerr);
    };
  });
}

}  // namespace tally
