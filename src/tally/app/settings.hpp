// Tally's runtime settings and where they come from: command-line options, a config file
// (--config, INI/TOML as CLI11 reads it) and TALLY_* environment variables, in that precedence.
#pragma once
#include <chrono>
#include <string>

#include "mno/util/result.hpp"

namespace CLI {
class App;
}

namespace tally {

struct Settings {
  std::string listen = "127.0.0.1";
  uint16_t port = 7800;
  std::string public_url;  // default http://LISTEN:PORT
  std::string database = "sqlite:data/tally.db";
  std::string marketplaces_file;  // JSON {"marketplaces":[...]}; empty = the developer platform (MNO_DEVPL_*)
  unsigned devpl_refresh_seconds = 300;  // 0 = never refresh after startup
  unsigned io_threads = 1;
  unsigned workers = 4;
  std::string log_level = "info";
  std::string ca_file;  // CA bundle for outbound TLS; empty = system store
  bool access_log = true;
  bool run_worker = true;  // `serve` also runs the background jobs (see worker/job_runner.hpp)
  unsigned billing_trial_days = 30;      // trial of a company whose group has no platform trial end (docs/billing.md)
  unsigned billing_retention_days = 90;  // a cancelled company's data is purged this long after cancellation
  // How long a worker owns the Connec! outbox/inbox rows it claimed; a worker that dies (SIGKILL, power loss)
  // leaves its rows to the others after this. Should exceed the Connec! request timeout (docs/data-sharing.md).
  unsigned sync_lease_seconds = 60;
};

// Registers the options shared by `serve`, `worker` and `migrate` on a (sub)command.
void add_database_option(CLI::App& cmd, Settings& s);
void add_serve_options(CLI::App& cmd, Settings& s);
// The options `serve` and `worker` share (database, marketplaces, outbound TLS), without the HTTP ones.
void add_app_options(CLI::App& cmd, Settings& s);
// Checks values CLI11 cannot (URL schemes, log level) and fills defaults; the error names the option.
mno::Status finalise(Settings& s);

}  // namespace tally
