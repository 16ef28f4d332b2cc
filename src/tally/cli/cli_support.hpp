// What several subcommands do the same way: read the process environment, build the whole app with
// the real HTTP client, or just open the database, printing the error in one format when that fails.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "tally/app/settings.hpp"
#include "tally/app/tally_app.hpp"

namespace tally {

std::optional<std::string> process_getenv(const char* name);

// TallyApp with a CurlHttpClient (settings.ca_file); nullptr after printing the error to stderr.
std::unique_ptr<TallyApp> create_app_or_report(const Settings& settings);

// finalise(settings) then open the database; nullptr after printing the error to stderr, with
// exit_code set to 2 for bad settings and 1 for a database that cannot be opened.
std::shared_ptr<mno::db::Database> open_database_or_report(Settings& settings, int& exit_code);

}  // namespace tally
