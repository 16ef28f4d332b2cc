// Integration (real mno-sandbox over loopback, curl): Tally's billing services and worker in process
// against the sandbox's Account API, on SQLite and PostgreSQL. A plan choice during the trial is one
// recurring bill starting at the trial end; an SMS reminder is one bill; the sandbox's fault injector
// (500, and "apply then drop": the bill is created, then the connection is reset) still ends in
// exactly one platform object per ledger row; a cancelled group's recurring bill is cancelled.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "mno/db/migrations.hpp"
#include "mno/http/curl_http_client.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/random.hpp"
#include "support/platform/platform_fixture.hpp"
#include "support/test_database.hpp"
#include "tally/app/services.hpp"
#include "tally/store/schema.hpp"
#include "tally/worker/billing_dispatcher.hpp"

using namespace testenv;
using nlohmann::json;

namespace {

constexpr const char* kMarket = "maestrano-sandbox";

class BillingIntegration : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    sandbox = start_sandbox();
    ASSERT_TRUE(sandbox);
    mno::config::Marketplace m;
    m.name = m.environment = kMarket;
    m.api.id = sandbox->api_id(kMarket);
    m.api.key = sandbox->api_key(kMarket);
    m.api.host = sandbox->url;
    m.api.base = "/api/v1/";
    registry.replace({m});
    ASSERT_TRUE(mno::db::migrate(database(), tally::schema_migrations()).ok());
    http = std::make_shared<mno::http::CurlHttpClient>([] {
      mno::http::CurlOptions o;
      o.proxy = "";
      return o;
    }());
    services = std::make_unique<tally::Services>(database_ptr(), clock, mno::SecureRandom::instance(),
                                                 std::make_shared<tally::NullChangeSink>(),
                                                 tally::PasswordHashLimits::minimum(), "k", registry,
                                                 web::SessionOptions{}, http);
    tally::BillingSettings s;
    s.retry_base = std::chrono::milliseconds(100);
    s.retry_cap = std::chrono::milliseconds(1000);
    s.lease = std::chrono::hours(1);
    services->billing.configure(s);
    tally::BillingDispatcherOptions o;
    o.owner = "it-worker";
    o.client.timeout = std::chrono::milliseconds(2000);
    o.client.sleep = [](std::chrono::milliseconds) {};
    dispatcher = std::make_unique<tally::BillingDispatcher>(
        database(), clock, mno::SecureRandom::instance(), registry, [this] { return services->http; },
        [this]() -> const tally::BillingSettings& { return services->billing.settings(); }, o);
  }

  tally::SsoProvisioned provision(const std::string& group, mno::TimePoint trial_end) {
    mno::sso::Identity id;
    id.creation_mode = "real";
    id.user.uid = id.user.real_uid = "usr-1";
    id.user.email = id.user.real_email = "ann@example.com";
    id.group.uid = group;
    id.group.name = "Group " + group;
    id.group.currency = "AUD";
    id.group.timezone = "UTC";
    id.group.free_trial_end = trial_end;
    id.membership = {group, "usr-1", "Admin"};
    auto p = services->sso_provisioning.provision(kMarket, id);
    if (!p) throw std::runtime_error(p.error().message);
    services->on_company_created(*p);
    return *p;
  }
  int64_t invoice_of(int64_t company_id) {
    tally::CustomerInput client;
    client.name = "Client";
    auto customer = services->customers.create(company_id, client);
    if (!customer) throw std::runtime_error(customer.error().message);
    tally::InvoiceInput in;
    in.customer_id = std::to_string(customer->id);
    in.lines.push_back({"", "Work", "1", "10.00", ""});
    auto inv = services->invoices.create(company_id, in);
    if (!inv) throw std::runtime_error(inv.error().message);
    return inv->id;
  }
  void drain() {
    for (int round = 0; round < 50; ++round) {
      auto n = dispatcher->run_once();
      ASSERT_TRUE(n.ok()) << n.error().message;
      if (*n > 0) continue;
      auto due = database().query("SELECT COUNT(*) FROM billing_charges WHERE state IN ('pending','sending')");
      ASSERT_TRUE(due.ok());
      if (due->at(0).i64(0) == 0) return;
      clock.advance(std::chrono::seconds(5));
    }
    FAIL() << "the ledger did not drain";
  }
  json group_bills(const std::string& group) {
    return json::parse(http_get(sandbox->url + "/control/v1/account/groups/" + group + "/bills").body);
  }
  void fault(const std::string& rule) {
    mno::http::Request r;
    r.method = "POST";
    r.url = sandbox->url + "/control/v1/account/faults";
    r.body = rule;
    r.headers = {{"Content-Type", "application/json"}};
    ASSERT_EQ(http_send(r).status, 201);
  }

  std::unique_ptr<SandboxProcess> sandbox;
  mno::ManualClock clock{std::chrono::time_point_cast<mno::TimePoint::duration>(std::chrono::system_clock::now())};
  mno::config::Registry registry;
  std::shared_ptr<mno::http::CurlHttpClient> http;
  std::unique_ptr<tally::Services> services;
  std::unique_ptr<tally::BillingDispatcher> dispatcher;
};

TEST_P(BillingIntegration, PlanDuringTheTrialAndAnSmsReminderReachTheSandboxOnce) {
  const auto trial_end = std::chrono::floor<std::chrono::seconds>(clock.now() + std::chrono::hours(24 * 10));
  auto p = provision("cld-1", trial_end);
  ASSERT_TRUE(services->billing.choose_plan(p.company.id, "per_seat_monthly", 2).ok());
  ASSERT_TRUE(services->billing.send_sms_reminder(p.company.id, invoice_of(p.company.id), p.user.id).ok());
  drain();
  auto g = group_bills("cld-1");
  ASSERT_EQ(g["recurring_bills"].size(), 1u) << g.dump();
  EXPECT_EQ(g["recurring_bills"][0]["start_date"], mno::format_iso8601(trial_end));
  EXPECT_EQ(g["recurring_bills"][0]["price_cents"], 2 * 1400);
  EXPECT_EQ(g["recurring_bills"][0]["currency"], "AUD");
  EXPECT_EQ(g["recurring_bills"][0]["period"], "month");
  ASSERT_EQ(g["bills"].size(), 1u) << g.dump();
  EXPECT_EQ(g["bills"][0]["price_cents"], 40);
}

TEST_P(BillingIntegration, ServerErrorsAndApplyThenDropEndInExactlyOneObjectPerCharge) {
  auto p = provision("cld-2", clock.now() + std::chrono::hours(24 * 3));
  fault(R"({"kind":"drop_after_apply","method":"POST","resource":"recurring_bills","count":1})");
  fault(R"({"kind":"error","method":"POST","resource":"bills","count":1})");
  const auto invoice = invoice_of(p.company.id);
  ASSERT_TRUE(services->billing.send_sms_reminder(p.company.id, invoice, p.user.id).ok());
  drain();
  fault(R"({"kind":"drop_after_apply","method":"POST","resource":"bills","count":1})");
  ASSERT_TRUE(services->billing.send_sms_reminder(p.company.id, invoice, p.user.id).ok());
  drain();
  auto g = group_bills("cld-2");
  EXPECT_EQ(g["recurring_bills"].size(), 1u) << g.dump();
  EXPECT_EQ(g["bills"].size(), 2u) << g.dump();
  auto charges = services->billing.charges(p.company.id);
  ASSERT_TRUE(charges.ok());
  for (const auto& c : *charges) EXPECT_EQ(c.state, tally::ChargeState::done) << c.reference << " " << c.last_error.value_or("");
}

TEST_P(BillingIntegration, ACancelledGroupsRecurringBillIsCancelledOnTheSandbox) {
  auto p = provision("cld-1", clock.now() + std::chrono::hours(24 * 3));
  drain();
  auto market = registry.find(kMarket);
  auto r = services->billing.cancel_group(*market, "cld-1");
  ASSERT_TRUE(r.ok() && r->changed);
  drain();
  auto g = group_bills("cld-1");
  ASSERT_EQ(g["recurring_bills"].size(), 1u) << g.dump();
  EXPECT_EQ(g["recurring_bills"][0]["status"], "cancelled");
}

TALLY_INSTANTIATE_DATABASE_TESTS(BillingIntegration);

}  // namespace
