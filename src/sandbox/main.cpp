// mno-sandbox: a complete local Maestrano platform on one port (developer platform, admin UI,
// control API, IdP with its directory; later account API, Connec! and webhooks), so every flow runs on loopback.
#include <CLI/CLI.hpp>

#include <iostream>

#include "mno/db/database.hpp"
#include "mno/http/curl_http_client.hpp"
#include "mno/util/log.hpp"
#include "sandbox/account_api.hpp"
#include "sandbox/account_webhooks.hpp"
#include "sandbox/admin_ui.hpp"
#include "sandbox/billing_admin.hpp"
#include "sandbox/connec_admin.hpp"
#include "sandbox/connec_api.hpp"
#include "sandbox/control_api.hpp"
#include "sandbox/devpl_api.hpp"
#include "sandbox/directory_api.hpp"
#include "sandbox/idp_routes.hpp"
#include "sandbox/sandbox_state.hpp"
#include "web/ops_routes.hpp"
#include "web/server.hpp"

int main(int argc, char** argv) {
  CLI::App app{"mno-sandbox: a local Maestrano platform (developer platform, IdP, account API, Connec!, webhooks)\n"
               "for developing and testing partner apps such as Tally. Every option can also be set by the\n"
               "environment variable shown beside it."};
  std::string listen = "127.0.0.1";
  uint16_t port = 7700;
  std::string database = "sqlite:data/sandbox.db";
  std::string public_url;
  std::string app_host = "http://127.0.0.1:7800";
  std::string log_level = "info";
  unsigned workers = 4;
  bool allow_test_login = false;
  unsigned connec_notify_ms = 500;
  app.add_option("--listen", listen, "Address to listen on")->envname("MNO_SANDBOX_LISTEN")->capture_default_str();
  app.add_option("--port", port, "TCP port")->envname("MNO_SANDBOX_PORT")->capture_default_str();
  app.add_option("--database", database, "State database URL (sqlite:PATH or postgresql://...)")
      ->envname("MNO_SANDBOX_DATABASE")->capture_default_str();
  app.add_option("--public-url", public_url, "URL apps use to reach the sandbox (default http://LISTEN:PORT)")
      ->envname("MNO_SANDBOX_PUBLIC_URL");
  app.add_option("--app-host", app_host, "Partner app base URL written into a fresh seed")
      ->envname("MNO_SANDBOX_APP_HOST")->capture_default_str();
  app.add_option("--workers", workers, "Worker threads for request handlers")->envname("MNO_SANDBOX_WORKERS")->capture_default_str();
  app.add_option("--log-level", log_level, "debug, info, warn, error or off")->envname("MNO_SANDBOX_LOG_LEVEL")->capture_default_str();
  app.add_flag("--allow-test-login", allow_test_login,
               "Let GET /api/v1/auth/saml?...&as_user=usr-N sign in without the user picker (tests only)")
      ->envname("MNO_SANDBOX_ALLOW_TEST_LOGIN");
  app.add_option("--connec-notify-ms", connec_notify_ms, "How long Connec! changes are buffered before apps are notified")
      ->envname("MNO_SANDBOX_CONNEC_NOTIFY_MS")->capture_default_str();
  sandbox::DeliveryOptions delivery;
  int64_t delivery_base_ms = delivery.base_delay.count(), delivery_max_ms = delivery.max_delay.count();
  int64_t delivery_timeout_ms = delivery.request_timeout.count();
  app.add_option("--webhook-max-attempts", delivery.max_attempts, "Attempts per outbound webhook before it is marked failed")
      ->envname("MNO_SANDBOX_WEBHOOK_MAX_ATTEMPTS")->capture_default_str()->check(CLI::Range(1, 100));
  app.add_option("--webhook-base-delay-ms", delivery_base_ms, "Retry delay after the first failed attempt (doubles each time)")
      ->envname("MNO_SANDBOX_WEBHOOK_BASE_DELAY_MS")->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{3600000}));
  app.add_option("--webhook-max-delay-ms", delivery_max_ms, "Longest retry delay")
      ->envname("MNO_SANDBOX_WEBHOOK_MAX_DELAY_MS")->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{86400000}));
  app.add_option("--webhook-timeout-ms", delivery_timeout_ms, "Timeout of one webhook request")
      ->envname("MNO_SANDBOX_WEBHOOK_TIMEOUT_MS")->capture_default_str()->check(CLI::Range(int64_t{10}, int64_t{600000}));
  CLI11_PARSE(app, argc, argv);
  delivery.base_delay = std::chrono::milliseconds(delivery_base_ms);
  delivery.max_delay = std::chrono::milliseconds(std::max(delivery_base_ms, delivery_max_ms));
  delivery.request_timeout = std::chrono::milliseconds(delivery_timeout_ms);

  if (!mno::log::set_level(log_level)) {
    std::cerr << "mno-sandbox: --log-level must be one of debug, info, warn, error, off (got '" << log_level << "')\n";
    return 2;
  }
  if (public_url.empty()) public_url = "http://" + listen + ":" + std::to_string(port);

  auto db = mno::db::open_database(database);
  if (!db) {
    std::cerr << "mno-sandbox: cannot open the state database: " << db.error().message << "\n";
    return 1;
  }
  auto state = std::make_shared<sandbox::SandboxState>(*db, public_url);
  if (auto s = state->initialise(app_host); !s) {
    std::cerr << "mno-sandbox: cannot initialise the state database: " << s.error().message << "\n";
    return 1;
  }

  web::Router router;
  auto metrics = std::make_shared<web::Metrics>();
  web::add_ops_routes(router, metrics, [] { return true; });
  sandbox::add_devpl_routes(router, state);
  sandbox::add_control_routes(router, state);
  sandbox::IdpServices idp;
  idp.state = state;
  idp.directory = std::make_shared<sandbox::Directory>(*db, mno::SystemClock::instance(), mno::SecureRandom::instance());
  idp.options = std::make_shared<sandbox::IdpOptionsStore>(*db);
  idp.log = std::make_shared<sandbox::RequestLog>(mno::SystemClock::instance());
  idp.allow_test_login = allow_test_login;
  mno::http::CurlHttpClient delivery_http;
  sandbox::AccountWebhookServices webhooks;
  webhooks.state = state;
  webhooks.db = *db;
  webhooks.deliveries = std::make_shared<sandbox::DeliveryQueue>(*db, delivery_http, mno::SystemClock::instance(), delivery);
  webhooks.admin_csrf_token = mno::SecureRandom::instance().url_token(24);
  sandbox::add_account_webhook_control_routes(router, webhooks);
  sandbox::add_admin_routes(router, state, &idp, &webhooks);
  sandbox::add_billing_admin_routes(router, *db, idp.directory, webhooks.admin_csrf_token);
  sandbox::add_idp_routes(router, idp);
  sandbox::add_directory_control_routes(router, idp);
  sandbox::add_account_routes(router, state, idp.directory, *db);
  sandbox::ConnecOptions connec_options;
  connec_options.notify_interval = std::chrono::milliseconds(connec_notify_ms);
  auto connec = sandbox::add_connec_routes(router, state, idp.directory, *db,
                                           sandbox::queued_connec_deliver(webhooks.deliveries), connec_options);
  sandbox::add_connec_admin_routes(router, connec, webhooks.admin_csrf_token);

  web::ServerOptions options;
  options.address = listen;
  options.port = port;
  options.worker_threads = workers;
  web::Server server(router, options, metrics);
  auto bound = server.start();
  if (!bound) {
    std::cerr << "mno-sandbox: cannot listen on " << listen << ":" << port << ": " << bound.error().message << "\n";
    return 1;
  }
  server.stop_on_signals();
  webhooks.deliveries->start();
  mno::log::info("sandbox.started", {{"url", public_url}, {"port", std::to_string(*bound)}, {"database", database.substr(0, database.find(':'))}});
  server.wait();
  webhooks.deliveries->stop();
  connec.notifier->stop();
  mno::log::info("sandbox.stopped");
  return 0;
}
