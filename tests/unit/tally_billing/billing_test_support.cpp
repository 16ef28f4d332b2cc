// See billing_test_support.hpp.
#include "billing_test_support.hpp"

#include "mno/util/base64.hpp"
#include "mno/util/random.hpp"
#include "tally/store/billing_store.hpp"

namespace billingtest {

mno::config::Marketplace test_marketplace(const std::string& name, const std::string& api_id, const std::string& api_key,
                                          const std::string& creation_mode) {
  mno::config::Marketplace m;
  m.name = m.environment = name;
  m.app.host = "http://tally.test";
  m.api.id = api_id;
  m.api.key = api_key;
  m.api.host = "http://platform.test";
  m.api.base = "/api/v1/";
  m.sso.idp = "http://platform.test";
  m.sso.creation_mode = creation_mode;
  m.connec.host = "http://connec.test";
  m.webhooks.account.group_path = "/maestrano/account/groups/:id/" + name;
  m.webhooks.account.group_user_path = "/maestrano/account/groups/:group_id/users/:id/" + name;
  return m;
}

tally::CustomerInput customer_named(const std::string& name) {
  tally::CustomerInput in;
  in.name = name;
  return in;
}

void BillingTest::SetUp() {
  DatabaseTest::SetUp();
  if (IsSkipped() || HasFailure()) return;
  app = std::make_unique<testenv::AppHarness>(GetParam());
  market = test_marketplace(kMarket, "app-a", "key-a");
  other = test_marketplace(kOther, "app-b", "key-b");
  app->registry.replace({market, other});
  http = std::make_shared<mno::http::FakeHttpClient>();
  platform = std::make_unique<FakeAccountPlatform>(*http, kApiBase);
  app->services->http = http;
  tally::BillingSettings s;
  s.retry_base = std::chrono::milliseconds(1000);
  s.retry_cap = std::chrono::milliseconds(5000);
  s.max_attempts = 5;
  s.lease = std::chrono::hours(1);  // drain() advances the clock by minutes: leases must outlive that
  app->services->billing.configure(s);
  tally::BillingDispatcherOptions o;
  o.owner = "test-worker";
  o.client.sleep = [](std::chrono::milliseconds) {};
  dispatcher = std::make_unique<tally::BillingDispatcher>(
      *app->db, app->clock, mno::SecureRandom::instance(), app->registry, [this] { return app->services->http; },
      [this]() -> const tally::BillingSettings& { return app->services->billing.settings(); }, o);
}

tally::SsoProvisioned BillingTest::provision(const std::string& group, const Member& m,
                                             std::optional<mno::TimePoint> trial_end, const std::string& currency,
                                             const std::string& market_name) {
  mno::sso::Identity id;
  id.creation_mode = "real";
  id.user.uid = id.user.real_uid = m.uid;
  id.user.email = id.user.real_email = m.email;
  id.user.first_name = "Ann";
  id.user.last_name = "Lee";
  id.group.uid = group;
  id.group.name = "Group " + group;
  id.group.currency = currency;
  id.group.timezone = "UTC";
  id.group.country = "FR";
  id.group.free_trial_end = trial_end.value_or(mno::TimePoint{});
  id.membership.group_uid = group;
  id.membership.user_uid = m.uid;
  id.membership.role = m.role;
  auto p = app->services->sso_provisioning.provision(market_name, id);
  if (!p) throw std::runtime_error("provision: " + p.error().message);
  if (!trial_end && p->company_created) {
    // The SAML attribute is required, so "no platform trial end" is a company recorded without one.
    auto r = app->db->execute("UPDATE companies SET trial_ends_at = NULL, status = 'active' WHERE id = $1", {p->company.id});
    if (!r) throw std::runtime_error(r.error().message);
    p->company.trial_ends_at.reset();
  }
  if (p->company_created) app->services->on_company_created(*p);
  return *p;
}

int BillingTest::drain() {
  int total = 0;
  for (int round = 0; round < 100; ++round) {
    auto n = dispatcher->run_once();
    if (!n) throw std::runtime_error("dispatcher: " + n.error().message);
    total += *n;
    if (*n == 0) {
      auto due = count("SELECT COUNT(*) FROM billing_charges WHERE state IN ('pending','sending')");
      if (due == 0) break;
      app->clock.advance(std::chrono::minutes(2));  // past any backoff or lease
    }
  }
  return total;
}

std::vector<tally::Charge> BillingTest::ledger(int64_t company_id) {
  auto r = app->services->billing.charges(company_id);
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

std::optional<tally::Subscription> BillingTest::subscription(int64_t company_id) {
  auto r = app->db->transact([&](mno::db::Connection& tx) { return tally::store::find_subscription(tx, company_id); });
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

int64_t BillingTest::count(const std::string& sql) {
  auto r = app->db->query(sql);
  if (!r) throw std::runtime_error(r.error().message);
  return r->at(0).i64(0);
}

mno::http::Response BillingTest::webhook(const std::string& path, const std::string& user, const std::string& password) {
  testenv::Browser b(app->url);
  std::vector<std::pair<std::string, std::string>> headers;
  if (!user.empty()) headers.emplace_back("Authorization", "Basic " + mno::base64_encode(user + ":" + password));
  return b.send("DELETE", path, "", headers);
}

}  // namespace billingtest
