// `tally serve`: the web server (later with an in-process worker), until SIGINT/SIGTERM.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "mno/http/curl_http_client.hpp"
#include "tally/app/tally_app.hpp"
#include "tally/cli/commands.hpp"

namespace tally {
namespace {

std::optional<std::string> process_getenv(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

}  // namespace

void add_serve_command(CLI::App& app, CommandRunner& run) {
  auto settings = std::make_shared<Settings>();
  auto* cmd = app.add_subcommand("serve", "Run the Tally web server");
  add_serve_options(*cmd, *settings);
  cmd->callback([settings, &run] {
    run = [settings] {
      mno::http::CurlOptions curl;
      curl.ca_file = settings->ca_file;
      auto tally = TallyApp::create(*settings, std::make_shared<mno::http::CurlHttpClient>(curl), process_getenv);
      if (!tally) {
        std::cerr << "tally: " << tally.error().message << " [" << tally.error().code << "]\n";
        return 1;
      }
      auto port = (*tally)->start();
      if (!port) {
        std::cerr << "tally: " << port.error().message << "\n";
        return 1;
      }
      (*tally)->stop_on_signals();
      (*tally)->wait();
      return 0;
    };
  });
}

}  // namespace tally
