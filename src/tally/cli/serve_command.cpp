// `tally serve`: the web server (later with an in-process worker), until SIGINT/SIGTERM.
#include <CLI/CLI.hpp>

#include <iostream>

#include "tally/cli/cli_support.hpp"
#include "tally/cli/commands.hpp"

namespace tally {
void add_serve_command(CLI::App& app, CommandRunner& run) {
  auto settings = std::make_shared<Settings>();
  auto* cmd = app.add_subcommand("serve", "Run the Tally web server");
  add_serve_options(*cmd, *settings);
  cmd->callback([settings, &run] {
    run = [settings] {
      auto tally = create_app_or_report(*settings);
      if (!tally) return 1;
      auto port = tally->start();
      if (!port) {
        std::cerr << "tally: " << port.error().message << "\n";
        return 1;
      }
      tally->stop_on_signals();
      tally->wait();
      return 0;
    };
  });
}

}  // namespace tally
