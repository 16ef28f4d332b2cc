// See cli_support.hpp.
#include "tally/cli/cli_support.hpp"

#include <cstdlib>
#include <iostream>

#include "mno/http/curl_http_client.hpp"

namespace tally {

std::optional<std::string> process_getenv(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

std::unique_ptr<TallyApp> create_app_or_report(const Settings& settings) {
  mno::http::CurlOptions curl;
  curl.ca_file = settings.ca_file;
  auto tally = TallyApp::create(settings, std::make_shared<mno::http::CurlHttpClient>(curl), process_getenv);
  if (!tally) {
    std::cerr << "tally: " << tally.error().message << " [" << tally.error().code << "]\n";
    return nullptr;
  }
  return std::move(*tally);
}

std::shared_ptr<mno::db::Database> open_database_or_report(Settings& settings, int& exit_code) {
  if (auto s = finalise(settings); !s) {
    std::cerr << "tally: " << s.error().message << "\n";
    exit_code = 2;
    return nullptr;
  }
  auto db = mno::db::open_database(settings.database);
  if (!db) {
    std::cerr << "tally: cannot open the database: " << db.error().message << "\n";
    exit_code = 1;
    return nullptr;
  }
  return *db;
}

}  // namespace tally
