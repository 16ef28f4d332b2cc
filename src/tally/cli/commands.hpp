// Tally's command-line subcommands. Each registers itself on the CLI11 app and returns the exit
// code when run; main() only parses and dispatches.
#pragma once
#include <functional>

namespace CLI {
class App;
}

namespace tally {

using CommandRunner = std::function<int()>;

// Each adds a subcommand and sets `run` to its action when that subcommand is chosen.
void add_serve_command(CLI::App& app, CommandRunner& run);
void add_migrate_command(CLI::App& app, CommandRunner& run);

}  // namespace tally
