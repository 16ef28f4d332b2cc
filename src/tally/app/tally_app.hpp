// One running Tally: database (migrated), marketplaces, HTTP routes and server, wired together.
// `tally serve` and the in-process tests build it the same way, so tests exercise what ships.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>

#include "mno/config/registry.hpp"
#include "mno/db/database.hpp"
#include "mno/http/http_client.hpp"
#include "tally/app/marketplace_setup.hpp"
#include "tally/app/services.hpp"
#include "tally/app/settings.hpp"
#include "tally/worker/job_runner.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"
#include "web/server.hpp"

namespace tally {

class TallyApp {
 public:
  // Opens and migrates the database and loads the marketplaces; every failure is a clear error value.
  static mno::Result<std::unique_ptr<TallyApp>> create(Settings settings, std::shared_ptr<mno::http::HttpClient> http,
                                                       const GetEnv& getenv);
  ~TallyApp();

  mno::Result<uint16_t> start();  // binds and serves (and runs the jobs unless --no-worker); returns the port
  void start_worker();            // runs the background jobs only (`tally worker`)
  void stop();
  void wait();
  void stop_on_signals();

  mno::config::Registry& registry() { return registry_; }
  mno::db::Database& database() { return *db_; }
  Services& services() { return *services_; }
  JobRunner& jobs() { return *jobs_; }
  const Settings& settings() const { return settings_; }

 private:
  explicit TallyApp(Settings settings);
  void add_routes();

  Settings settings_;
  std::shared_ptr<mno::http::HttpClient> http_;
  std::shared_ptr<mno::db::Database> db_;
  mno::config::Registry registry_;
  MarketplaceSource marketplace_source_;
  std::unique_ptr<Services> services_;
  std::shared_ptr<web::Metrics> metrics_;
  web::Router router_;
  std::unique_ptr<web::Server> server_;
  std::unique_ptr<JobRunner> jobs_;
  std::mutex wait_mu_;
  std::condition_variable wait_cv_;
  bool stopped_ = false;
};

}  // namespace tally
