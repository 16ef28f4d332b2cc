// Tally's command-line subcommands. Each registers itself on the CLI11 app and returns the exit
// code when run; main() only parses and dispatches.
#pragma once
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "mno/util/clock.hpp"

namespace CLI {
class App;
}
namespace mno::db {
class Database;
}

namespace tally {

using CommandRunner = std::function<int()>;

// Each adds a subcommand and sets `run` to its action when that subcommand is chosen.
void add_serve_command(CLI::App& app, CommandRunner& run);
void add_worker_command(CLI::App& app, CommandRunner& run);
void add_migrate_command(CLI::App& app, CommandRunner& run);
void add_seed_command(CLI::App& app, CommandRunner& run);
void add_saml_command(CLI::App& app, CommandRunner& run);
void add_sync_command(CLI::App& app, CommandRunner& run);

// `tally saml verify` as a function (the command and the tests call it). Marketplace from
// settings_file (one marketplace's JSON), else marketplaces_file ({"marketplaces":[...]}), else the
// developer platform (MNO_DEVPL_* through getenv). now: ISO-8601 time to validate at ("" = now).
// Prints the verdict on out, problems with the arguments on err. Exit code: 0 ACCEPTED, 1 REJECTED,
// 2 bad arguments or configuration.
struct SamlVerifyArgs {
  std::string marketplace;
  std::string now;
  std::string marketplaces_file;
  std::string settings_file;
  std::string file;
};
int run_saml_verify(const SamlVerifyArgs& args, std::ostream& out, std::ostream& err,
                    const std::function<std::optional<std::string>(const char*)>& getenv);

// `tally sync status` as a function: the summary of one company, or of every company with sync activity when
// company_id is nullopt. 0 on success, 1 when the database cannot be read.
int run_sync_status(mno::db::Database& db, std::optional<int64_t> company_id, mno::TimePoint now, std::ostream& out,
                    std::ostream& err);

}  // namespace tally
