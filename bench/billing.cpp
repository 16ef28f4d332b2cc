// Seeder of the billing benchmark (bench/suites/billing.sh): one marketplace company with N members,
// each provisioned through the real SSO provisioning (user, identity, membership), on the per-seat
// plan with N seats, in a SQLite database that `tally serve` then opens. Prints key=value lines:
// marketplace, api_id, api_key, group (what the wrk script needs to address the webhook).
//   bench_billing seed N DIR   writes DIR/tally.db and DIR/marketplaces.json
#include <fstream>
#include <iostream>
#include <string>

#include "mno/config/marketplace_json.hpp"
#include "mno/config/registry.hpp"
#include "mno/db/migrations.hpp"
#include "mno/util/log.hpp"
#include "mno/util/random.hpp"
#include "sandbox/seed_keys.hpp"
#include "tally/app/services.hpp"
#include "tally/store/schema.hpp"

int main(int argc, char** argv) {
  if (argc != 4 || std::string(argv[1]) != "seed") {
    std::cerr << "usage: bench_billing seed N DIR\n";
    return 2;
  }
  const int n = std::stoi(argv[2]);
  const std::string dir = argv[3];
  mno::log::set_level("warn");
  mno::config::Marketplace m;
  m.name = m.environment = "bench-market";
  m.app.host = "http://127.0.0.1:1";
  m.api.id = "app-bench";
  m.api.key = mno::SecureRandom::instance().hex_token(16);
  m.api.host = "http://127.0.0.1:1";  // the ledger is not sent during the benchmark (serve --no-worker)
  m.api.base = "/api/v1/";
  m.sso.idp = "http://127.0.0.1:1";
  m.sso.init_path = "/maestrano/auth/saml/init/bench-market";
  m.sso.consume_path = "/maestrano/auth/saml/consume/bench-market";
  // Tally refuses a marketplace file without a valid IdP certificate; SSO is not exercised here.
  m.sso.x509_certificate = sandbox::seed_keys().front().certificate_pem;
  m.sso.x509_fingerprint = sandbox::seed_keys().front().sha1_fingerprint;
  m.connec.host = "http://127.0.0.1:1";
  m.webhooks.account.group_path = "/maestrano/account/groups/:id/bench-market";
  m.webhooks.account.group_user_path = "/maestrano/account/groups/:group_id/users/:id/bench-market";
  m.webhooks.connec.notification_path = "/maestrano/connec/notifications/bench-market";
  std::ofstream(dir + "/marketplaces.json")
      << nlohmann::json{{"marketplaces", nlohmann::json::array({mno::config::marketplace_to_json(m, true)})}}.dump();

  auto db = mno::db::open_database("sqlite:" + dir + "/tally.db");
  if (!db) return std::cerr << db.error().message << "\n", 1;
  if (auto s = mno::db::migrate(**db, tally::schema_migrations()); !s) return std::cerr << s.error().message << "\n", 1;
  mno::config::Registry registry({m});
  tally::Services services(*db, mno::SystemClock::instance(), mno::SecureRandom::instance(),
                           std::make_shared<tally::NullChangeSink>(), tally::PasswordHashLimits::minimum(), "bench",
                           registry);
  int64_t company_id = 0;
  for (int i = 1; i <= n; ++i) {
    mno::sso::Identity id;
    id.creation_mode = "real";
    id.user.uid = id.user.real_uid = "usr-" + std::to_string(i);
    id.user.email = id.user.real_email = "member" + std::to_string(i) + "@bench.example.com";
    id.user.first_name = "Member";
    id.user.last_name = std::to_string(i);
    id.group = {};
    id.group.uid = "cld-bench";
    id.group.name = "Bench Co";
    id.group.currency = "EUR";
    id.group.timezone = "UTC";
    id.group.free_trial_end = mno::SystemClock::instance().now() + std::chrono::hours(24 * 30);
    id.membership = {"cld-bench", id.user.uid, i == 1 ? "Super Admin" : "Member"};
    auto p = services.sso_provisioning.provision(m.name, id);
    if (!p) return std::cerr << p.error().message << "\n", 1;
    if (p->company_created) services.on_company_created(*p);
    company_id = p->company.id;
  }
  if (auto c = services.billing.choose_plan(company_id, "per_seat_monthly", n); !c)
    return std::cerr << c.error().message << "\n", 1;
  std::cout << "marketplace=" << m.name << "\napi_id=" << m.api.id << "\napi_key=" << m.api.key
            << "\ngroup=cld-bench\nmembers=" << n << "\n";
  return 0;
}
