// tally: the command-line entry point. Subcommands live in src/tally/cli/.
#include <CLI/CLI.hpp>

#include "tally/cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Tally: multi-tenant invoicing and CRM for Maestrano marketplaces.\n"
               "Every option can also be set by the environment variable shown beside it, or in a\n"
               "config file (--config FILE, INI/TOML with one [section] per subcommand)."};
  app.set_config("--config", "", "Read options from this file");
  app.require_subcommand(1);
  tally::CommandRunner run;
  tally::add_serve_command(app, run);
  tally::add_worker_command(app, run);
  tally::add_migrate_command(app, run);
  tally::add_saml_command(app, run);
  tally::add_seed_command(app, run);
  tally::add_sync_command(app, run);
  CLI11_PARSE(app, argc, argv);
  return run ? run() : 0;
}
