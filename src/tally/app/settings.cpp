// See settings.hpp.
#include "tally/app/settings.hpp"

#include <CLI/CLI.hpp>

#include "mno/util/log.hpp"

namespace tally {

void add_database_option(CLI::App& cmd, Settings& s) {
  cmd.add_option("--database", s.database, "Database URL: sqlite:PATH or postgresql://user@host:port/db")
      ->envname("TALLY_DATABASE")->capture_default_str();
  cmd.add_option("--log-level", s.log_level, "debug, info, warn, error or off")->envname("TALLY_LOG_LEVEL")->capture_default_str();
}

void add_app_options(CLI::App& cmd, Settings& s) {
  add_database_option(cmd, s);
  cmd.add_option("--public-url", s.public_url, "Public base URL of this Tally (default http://LISTEN:PORT)")
      ->envname("TALLY_PUBLIC_URL");
  cmd.add_option("--marketplaces", s.marketplaces_file,
                 "Marketplace configuration file (JSON {\"marketplaces\":[...]}); without it Tally loads its\n"
                 "marketplaces from the developer platform named by MNO_DEVPL_HOST, MNO_DEVPL_API_PATH,\n"
                 "MNO_DEVPL_ENV_NAME, MNO_DEVPL_ENV_KEY and MNO_DEVPL_ENV_SECRET")
      ->envname("TALLY_MARKETPLACES_FILE");
  cmd.add_option("--devpl-refresh", s.devpl_refresh_seconds, "Seconds between developer-platform refreshes (0 = never)")
      ->envname("TALLY_DEVPL_REFRESH")->capture_default_str();
  cmd.add_option("--ca-file", s.ca_file, "CA bundle for outbound TLS (default: the system store)")->envname("TALLY_CA_FILE");
  cmd.add_option("--billing-trial-days", s.billing_trial_days,
                 "Free trial of a marketplace company whose group has no platform trial end")
      ->envname("TALLY_BILLING_TRIAL_DAYS")->capture_default_str()->check(CLI::Range(0u, 365u));
  cmd.add_option("--billing-retention-days", s.billing_retention_days,
                 "Days a cancelled company's data is kept before it is purged")
      ->envname("TALLY_BILLING_RETENTION_DAYS")->capture_default_str()->check(CLI::Range(0u, 3650u));
  cmd.add_option("--sync-lease-seconds", s.sync_lease_seconds,
                 "Seconds a worker owns the Connec! sync rows it claimed; a dead worker's rows go to others after this")
      ->envname("TALLY_SYNC_LEASE_SECONDS")->capture_default_str()->check(CLI::Range(1u, 3600u));
}

void add_serve_options(CLI::App& cmd, Settings& s) {
  add_app_options(cmd, s);
  cmd.add_option("--listen", s.listen, "Address to listen on")->envname("TALLY_LISTEN")->capture_default_str();
  cmd.add_option("--port", s.port, "TCP port")->envname("TALLY_PORT")->capture_default_str();
  cmd.add_option("--io-threads", s.io_threads, "HTTP I/O threads")->envname("TALLY_IO_THREADS")->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  cmd.add_option("--workers", s.workers, "Worker threads for request handlers (database, outbound HTTP)")
      ->envname("TALLY_WORKERS")->capture_default_str()->check(CLI::Range(1u, 256u));
  cmd.add_flag("!--no-access-log", s.access_log, "Do not write one log line per HTTP request")->envname("TALLY_ACCESS_LOG");
  cmd.add_flag("!--no-worker", s.run_worker,
               "Do not run the background jobs in this process (run `tally worker` processes instead)")
      ->envname("TALLY_RUN_WORKER");
}

mno::Status finalise(Settings& s) {
  if (!mno::log::set_level(s.log_level))
    return mno::make_error("settings.invalid", "--log-level must be one of debug, info, warn, error, off (got '" + s.log_level + "')");
  if (s.database.rfind("sqlite:", 0) != 0 && s.database.rfind("postgresql://", 0) != 0 && s.database.rfind("postgres://", 0) != 0)
    return mno::make_error("settings.invalid", "--database must start with sqlite: or postgresql:// (got '" +
                                                   s.database.substr(0, s.database.find(':')) + ":…')");
  if (s.public_url.empty()) s.public_url = "http://" + s.listen + ":" + std::to_string(s.port);
  if (s.public_url.rfind("http://", 0) != 0 && s.public_url.rfind("https://", 0) != 0)
    return mno::make_error("settings.invalid", "--public-url must start with http:// or https://");
  while (s.public_url.size() > 8 && s.public_url.back() == '/') s.public_url.pop_back();
  return {};
}

}  // namespace tally
