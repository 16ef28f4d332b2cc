// `tally worker`: runs the background jobs (billing, retention, Connec! sync) without the web server,
// so several processes can share the work of one PostgreSQL database. `--once` drains every job and
// exits: for cron-style use and for tests.
#include <CLI/CLI.hpp>

#include <iostream>

#include "tally/cli/cli_support.hpp"
#include "tally/cli/commands.hpp"

namespace tally {
void add_worker_command(CLI::App& app, CommandRunner& run) {
  auto settings = std::make_shared<Settings>();
  auto once = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("worker", "Run the background jobs only (no web server), until SIGINT/SIGTERM");
  add_app_options(*cmd, *settings);
  cmd->add_flag("--once", *once, "Run every job until none has work left, then exit");
  cmd->callback([settings, once, &run] {
    run = [settings, once] {
      auto tally = create_app_or_report(*settings);
      if (!tally) return 1;
      if (*once) {
        auto handled = tally->jobs().drain();
        if (!handled) {
          std::cerr << "tally: " << handled.error().message << " [" << handled.error().code << "]\n";
          return 1;
        }
        std::cout << "handled " << *handled << " item(s)\n";
        return 0;
      }
      tally->stop_on_signals();
      tally->start_worker();
      tally->wait();
      return 0;
    };
  });
}

}  // namespace tally
