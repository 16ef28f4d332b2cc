// `tally saml verify`: runs Tally's SAML response validator on a saved response and says ACCEPTED
// (with the identity) or REJECTED (with the reason code and what to do about it). For integrators
// debugging a marketplace setup: InResponseTo is not compared and nothing is recorded (no replay
// cache, no database), so the same file can be checked again and again, at any --now.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "mno/config/marketplace_json.hpp"
#include "mno/config/registry.hpp"
#include "mno/http/curl_http_client.hpp"
#include "mno/sso/verify_tool.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "tally/app/marketplace_setup.hpp"
#include "tally/cli/cli_support.hpp"
#include "tally/cli/commands.hpp"

namespace tally {
namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mno::Result<mno::config::Marketplace> marketplace_from_settings(const std::string& path) {
  auto text = read_file(path);
  if (!text) return mno::make_error("config.unreadable", "cannot read " + path);
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return mno::make_error("config.invalid_json", path + " is not a JSON object");
  // Either one marketplace's object, or a whole {"marketplaces":[...]} document holding exactly one.
  if (json.contains("marketplaces")) {
    auto list = mno::config::marketplaces_from_document(json);
    if (!list.ok()) return list.error();
    if (list->size() != 1) return mno::make_error("config.invalid_field", path + " must describe exactly one marketplace");
    return list->front();
  }
  return mno::config::marketplace_from_json(json);
}

}  // namespace

int run_saml_verify(const SamlVerifyArgs& args, std::ostream& out, std::ostream& err,
                    const std::function<std::optional<std::string>(const char*)>& getenv) {
  std::optional<mno::TimePoint> now;
  if (!args.now.empty()) {
    auto t = mno::parse_iso8601(args.now);
    if (!t.ok()) {
      err << "tally: --now must be an ISO-8601 time such as 2024-05-01T12:00:00Z\n";
      return 2;
    }
    now = *t;
  }
  auto input = read_file(args.file);
  if (!input) {
    err << "tally: cannot read " << args.file << "\n";
    return 2;
  }

  mno::config::Marketplace marketplace;
  if (!args.settings_file.empty()) {
    auto m = marketplace_from_settings(args.settings_file);
    if (!m.ok()) {
      err << "tally: " << m.error().message << " [" << m.error().code << "]\n";
      return 2;
    }
    if (!args.marketplace.empty() && m->name != args.marketplace) {
      err << "tally: " << args.settings_file << " describes marketplace \"" << m->name << "\", not \"" << args.marketplace << "\"\n";
      return 2;
    }
    marketplace = *m;
  } else {
    if (args.marketplace.empty()) {
      err << "tally: --marketplace NAME is required (or --settings FILE)\n";
      return 2;
    }
    Settings settings;
    settings.marketplaces_file = args.marketplaces_file;
    settings.devpl_refresh_seconds = 0;
    mno::config::Registry registry;
    mno::http::CurlHttpClient http;
    auto source = load_marketplaces(settings, registry, http, getenv);
    if (!source.ok()) {
      err << "tally: " << source.error().message << " [" << source.error().code << "]\n";
      return 2;
    }
    auto m = registry.find(args.marketplace);
    if (!m) {
      std::string names;
      for (const auto& n : registry.names()) names += (names.empty() ? "" : ", ") + n;
      err << "tally: no marketplace named \"" << args.marketplace << "\" (known: " << names << ")\n";
      return 2;
    }
    marketplace = *m;
  }

  auto report = mno::sso::verify_response(*input, marketplace, now);
  out << report.text();
  return report.accepted ? 0 : 1;
}

void add_saml_command(CLI::App& app, CommandRunner& run) {
  auto* saml = app.add_subcommand("saml", "SAML single sign-on tools");
  saml->require_subcommand(1);
  auto args = std::make_shared<SamlVerifyArgs>();
  auto* verify = saml->add_subcommand(
      "verify",
      "Check a saved SAMLResponse (base64 as POSTed, or the decoded XML) exactly as Tally's ACS would: signature\n"
      "with the marketplace's pinned IdP certificate, shape, issuer, audience, destination, recipient, times.\n"
      "Prints ACCEPTED with the identity, or REJECTED with the reason code and an explanation.\n"
      "InResponseTo is not compared and nothing is recorded, so a file can be checked repeatedly.\n"
      "Exit code: 0 accepted, 1 rejected, 2 bad arguments or configuration.");
  verify->add_option("--marketplace", args->marketplace, "Marketplace (preset) name whose IdP settings to use");
  verify->add_option("--now", args->now, "Validate as if it were this ISO-8601 time (default: now)");
  verify->add_option("--marketplaces", args->marketplaces_file,
                     "JSON file {\"marketplaces\":[...]}; default: the developer platform (MNO_DEVPL_HOST, "
                     "MNO_DEVPL_ENV_KEY, MNO_DEVPL_ENV_SECRET)")
      ->envname("TALLY_MARKETPLACES_FILE");
  verify->add_option("--settings", args->settings_file, "JSON file with one marketplace's settings (instead of --marketplaces)");
  verify->add_option("FILE", args->file, "The response file")->required();
  verify->callback([args, &run] {
    run = [args] {
      mno::log::set_level("warn");  // the verdict is the output; keep info lines out of it
      return run_saml_verify(*args, std::cout, std::cerr, process_getenv);
    };
  });
}

}  // namespace tally
