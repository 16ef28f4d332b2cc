// See tally_app.hpp.
#include "tally/app/tally_app.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <thread>

#include "mno/util/log.hpp"
#include "tally/app/jobs.hpp"
#include "tally/app/routes.hpp"
#include "tally/store/instance_settings.hpp"
#include "tally/store/schema.hpp"
#include "tally/sync/sync_context.hpp"
#include "tally/sync/sync_jobs.hpp"

namespace tally {

TallyApp::TallyApp(Settings settings) : settings_(std::move(settings)), metrics_(std::make_shared<web::Metrics>()) {}

TallyApp::~TallyApp() {
  if (jobs_) jobs_->stop();
  if (marketplace_source_.refresher) marketplace_source_.refresher->stop();
}

mno::Result<std::unique_ptr<TallyApp>> TallyApp::create(Settings settings, std::shared_ptr<mno::http::HttpClient> http,
                                                        const GetEnv& getenv) {
  if (auto s = finalise(settings); !s) return s.error();
  std::unique_ptr<TallyApp> app(new TallyApp(std::move(settings)));
  app->http_ = std::move(http);
  auto db = mno::db::open_database(app->settings_.database);
  if (!db) return mno::make_error(db.error().code, "cannot open the database: " + db.error().message);
  app->db_ = *db;
  if (auto s = mno::db::migrate(*app->db_, schema_migrations()); !s)
    return mno::make_error(s.error().code, "cannot migrate the database: " + s.error().message);
  auto source = load_marketplaces(app->settings_, app->registry_, *app->http_, getenv);
  if (!source) return source.error();
  app->marketplace_source_ = std::move(*source);
  auto& random = mno::SecureRandom::instance();
  const auto& clock = mno::SystemClock::instance();
  auto key = session_signing_key(*app->db_, random, clock);
  if (!key) return mno::make_error(key.error().code, "cannot read the session signing key: " + key.error().message);
  web::SessionOptions session_options;
  session_options.secure = app->settings_.public_url.rfind("https://", 0) == 0;
  // Changes of shared records write outbox rows in their own transaction (data sharing, sync_context.hpp).
  auto sink = std::make_shared<sync::OutboxChangeSink>(clock);
  app->services_ = std::make_unique<Services>(app->db_, clock, random, sink,
                                              PasswordHashLimits::interactive(), *key, app->registry_, session_options,
                                              app->http_);
  auto& s = *app->services_;
  s.sync = std::make_shared<sync::SyncContext>(sync::SyncContext{
      std::make_shared<sync::TallyTenantDirectory>(app->db_, app->registry_, app->http_, clock),
      sync::make_adapters(s.customers, s.contacts, s.products, s.invoices), sink});
  app->jobs_ = std::make_unique<JobRunner>(app->metrics_);
  sink->on_enqueued = [jobs = app->jobs_.get()] { jobs->nudge(sync::kOutboxJob); };
  app->services_->nudge_worker = [jobs = app->jobs_.get()](const std::string& job) { jobs->nudge(job); };
  register_jobs(*app->jobs_, *app->services_, app->settings_);
  app->add_routes();
  return app;
}

void TallyApp::add_routes() { add_all_routes(router_, *services_, metrics_); }

mno::Result<uint16_t> TallyApp::start() {
  web::ServerOptions options;
  options.address = settings_.listen;
  options.port = settings_.port;
  options.io_threads = settings_.io_threads;
  options.worker_threads = settings_.workers;
  options.access_log = settings_.access_log;
  server_ = std::make_unique<web::Server>(router_, options, metrics_);
  auto port = server_->start();
  if (!port) return mno::make_error(port.error().code, "cannot listen on " + settings_.listen + ":" +
                                                           std::to_string(settings_.port) + ": " + port.error().message);
  if (settings_.run_worker) jobs_->start();
  mno::log::info("tally.started", {{"url", settings_.public_url}, {"port", std::to_string(*port)},
                                   {"marketplaces", std::to_string(registry_.size())}});
  return port;
}

void TallyApp::start_worker() {
  jobs_->start();
  mno::log::info("tally.worker_started", {{"jobs", std::to_string(jobs_->job_names().size())}});
}

void TallyApp::stop() {
  if (server_) server_->stop();
  if (jobs_) jobs_->stop();
  {
    std::lock_guard lock(wait_mu_);
    stopped_ = true;
  }
  wait_cv_.notify_all();
}

void TallyApp::wait() {
  if (server_) {
    server_->wait();
    if (jobs_) jobs_->stop();
    return;
  }
  std::unique_lock lock(wait_mu_);
  wait_cv_.wait(lock, [this] { return stopped_; });
}

void TallyApp::stop_on_signals() {
  if (server_) {
    server_->stop_on_signals();
    return;
  }
  // Worker-only process: the handler writes to a pipe (async-signal-safe); a small thread reads it
  // and stops the jobs. A pipe, not sigwait, because threads started earlier have signals unblocked.
  static int fds[2] = {-1, -1};
  if (fds[0] < 0 && ::pipe(fds) != 0) return;
  struct sigaction sa {};
  sa.sa_handler = [](int sig) {
    unsigned char b = static_cast<unsigned char>(sig);
    [[maybe_unused]] auto n = ::write(fds[1], &b, 1);
  };
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  std::thread([this] {
    unsigned char b = 0;
    while (::read(fds[0], &b, 1) < 0 && errno == EINTR) {
    }
    mno::log::info("tally.signal", {{"signal", std::to_string(b)}});
    stop();
  }).detach();
}

}  // namespace tally
