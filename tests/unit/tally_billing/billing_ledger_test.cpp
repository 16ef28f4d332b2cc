// The billing ledger and its worker on SQLite and PostgreSQL (checklist 2.1.2 and "no lost or
// duplicated charge"): the SMS reminder and its bill in one transaction; platform errors (500,
// apply-then-drop, drop before apply, unreachable) ending in exactly one bill on the platform; a
// refusal marked failed with the reason and shown to admins; two workers sharing one database.
#include <gtest/gtest.h>

#include <thread>

#include "billing_test_support.hpp"
#include "mno/util/random.hpp"
#include "tally/domain/billing_service.hpp"
#include "tally/worker/billing_status_refresh.hpp"

using namespace billingtest;

namespace {

class BillingLedger : public BillingTest {
 protected:
  // A marketplace company with a local admin who can sign in with a password, and one invoice.
  struct Shop {
    int64_t company_id = 0;
    int64_t invoice_id = 0;
    testenv::AppHarness::Account account;
  };
  Shop shop(const std::string& group = "cld-1") {
    Shop s;
    s.account = app->create_account("owner-" + group + "@example.com", "Zz local");
    auto p = provision(group, {"usr-" + group, s.account.email, "Admin"}, app->clock.now() + std::chrono::hours(24 * 30));
    s.company_id = p.company.id;
    auto customer = app->services->customers.create(s.company_id, customer_named("Client"));
    if (!customer) throw std::runtime_error(customer.error().message);
    tally::InvoiceInput in;
    in.customer_id = std::to_string(customer->id);
    in.lines.push_back({"", "Work", "1", "100.00", ""});
    auto inv = app->services->invoices.create(s.company_id, in);
    if (!inv) throw std::runtime_error(inv.error().message);
    s.invoice_id = inv->id;
    return s;
  }
  testenv::Browser signed_in(const Shop& s) {
    testenv::Browser b(app->url);
    if (!b.login(s.account.email, s.account.password)) throw std::runtime_error("login failed");
    b.get("/app");
    auto r = b.post_form("/app/switch-company", {{"company_id", std::to_string(s.company_id)}});
    if (r.status != 303) throw std::runtime_error("switch-company: " + std::to_string(r.status));
    return b;
  }
  int64_t bills_for(int64_t company_id) {
    return count("SELECT COUNT(*) FROM billing_charges WHERE kind = 'bill' AND company_id = " + std::to_string(company_id));
  }
};

TEST_P(BillingLedger, AnSmsReminderIsOneChargeWrittenWithTheActionAndSentOnce) {
  auto s = shop();
  drain();
  auto b = signed_in(s);
  b.get("/app/invoices/" + std::to_string(s.invoice_id));
  auto r = b.post_form("/app/invoices/" + std::to_string(s.invoice_id) + "/sms-reminder", {});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM billing_sms_reminders"), 1);
  ASSERT_EQ(bills_for(s.company_id), 1);
  drain();
  auto bills = platform->bills();
  ASSERT_EQ(bills.size(), 1u);
  EXPECT_EQ(bills[0]["price_cents"], 25);
  EXPECT_EQ(bills[0]["currency"], "EUR");
  auto l = ledger(s.company_id);
  EXPECT_NE(bills[0]["description"].get<std::string>().find("[ref:" + l[0].reference + "]"), std::string::npos);
  auto page = b.get("/app/billing");
  EXPECT_NE(page.body.find("SMS reminder for invoice"), std::string::npos);
  EXPECT_NE(page.body.find(bills[0]["id"].get<std::string>()), std::string::npos);
}

TEST_P(BillingLedger, ThePlatformsLaterStatusReachesTheLedgerAndTheBillingPage) {
  auto s = shop();
  drain();
  auto b = signed_in(s);
  ASSERT_TRUE(app->services->billing.send_sms_reminder(s.company_id, s.invoice_id, s.account.user_id).ok());
  drain();
  tally::BillingStatusRefresher refresher(*app->db, app->clock, app->registry, [this] { return app->services->http; });
  auto none = refresher.run_once();
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(*none, 0);  // nothing changed on the platform yet
  ASSERT_EQ(platform->invoice_submitted_bills(), 1);
  auto changed = refresher.run_once();
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(*changed, 1);
  bool invoiced = false;
  for (const auto& c : ledger(s.company_id))
    if (c.platform_status == std::optional<std::string>("invoiced")) invoiced = true;
  EXPECT_TRUE(invoiced);
  EXPECT_NE(b.get("/app/billing").body.find("invoiced"), std::string::npos);
  EXPECT_EQ(*refresher.run_once(), 0);  // final statuses are not asked about again
}

TEST_P(BillingLedger, AFailedActionWritesNoCharge) {
  auto s = shop();
  auto r = app->services->billing.send_sms_reminder(s.company_id, s.invoice_id + 999, s.account.user_id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "record.not_found");
  EXPECT_EQ(bills_for(s.company_id), 0);
  auto solo = app->create_account("solo@example.com");
  auto none = app->services->billing.send_sms_reminder(solo.company_id, 1, solo.user_id);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "billing.not_available");
}

TEST_P(BillingLedger, ApplyThenDropEndsInExactlyOneBill) {
  auto s = shop();
  drain();
  platform->fail_next_creates(FakeAccountPlatform::Fault::apply_then_drop);
  ASSERT_TRUE(app->services->billing.send_sms_reminder(s.company_id, s.invoice_id, s.account.user_id).ok());
  drain();
  EXPECT_EQ(platform->bills().size(), 1u);
  EXPECT_EQ(platform->create_calls(), 2) << "one recurring bill, one bill: never a second create";
  EXPECT_GE(platform->list_calls(), 1) << "the ambiguous create was looked up";
  auto l = ledger(s.company_id);
  EXPECT_EQ(l[0].state, tally::ChargeState::done);
  EXPECT_EQ(l[0].platform_id.value_or(""), platform->bills()[0]["id"]);
}

TEST_P(BillingLedger, ServerErrorsAndLostRequestsRetryWithoutDuplicates) {
  auto s = shop();
  drain();
  platform->fail_next_creates(FakeAccountPlatform::Fault::server_error, 2);
  ASSERT_TRUE(app->services->billing.send_sms_reminder(s.company_id, s.invoice_id, s.account.user_id).ok());
  drain();
  EXPECT_EQ(platform->bills().size(), 1u);
  platform->fail_next_creates(FakeAccountPlatform::Fault::drop_before_apply, 1);
  ASSERT_TRUE(app->services->billing.send_sms_reminder(s.company_id, s.invoice_id, s.account.user_id).ok());
  drain();
  EXPECT_EQ(platform->bills().size(), 2u);
  platform->unreachable(true);
  ASSERT_TRUE(app->services->billing.send_sms_reminder(s.company_id, s.invoice_id, s.account.user_id).ok());
  ASSERT_TRUE(dispatcher->run_once().ok());
  auto l = ledger(s.company_id);
  EXPECT_EQ(l[0].state, tally::ChargeState::pending);
  EXPECT_EQ(l[0].attempts, 1);
  EXPECT_TRUE(l[0].last_error && l[0].last_error->find("account.") == 0) << l[0].last_error.value_or("");
  EXPECT_GT(l[0].next_attempt_at, app->clock.now() - std::chrono::seconds(1));
  platform->unreachable(false);
  drain();
  EXPECT_EQ(platform->bills().size(), 3u);
  for (const auto& c : ledger(s.company_id)) EXPECT_EQ(c.state, tally::ChargeState::done) << c.reference;
}

TEST_P(BillingLedger, ARefusedChargeIsFailedWithTheReasonShownToAdmins) {
  auto s = shop();
  drain();
  platform->fail_next_creates(FakeAccountPlatform::Fault::reject);
  ASSERT_TRUE(app->services->billing.send_sms_reminder(s.company_id, s.invoice_id, s.account.user_id).ok());
  drain();
  EXPECT_TRUE(platform->bills().empty());
  auto l = ledger(s.company_id);
  EXPECT_EQ(l[0].state, tally::ChargeState::failed);
  EXPECT_NE(l[0].last_error.value_or("").find("group_id"), std::string::npos) << l[0].last_error.value_or("");
  auto b = signed_in(s);
  auto page = b.get("/app/billing");
  EXPECT_NE(page.body.find("charge-error"), std::string::npos);
  EXPECT_NE(page.body.find("cannot be charged"), std::string::npos);
}

TEST_P(BillingLedger, RetriesStopAtTheAttemptCap) {
  auto s = shop();
  drain();
  platform->fail_next_creates(FakeAccountPlatform::Fault::server_error, 100);
  ASSERT_TRUE(app->services->billing.send_sms_reminder(s.company_id, s.invoice_id, s.account.user_id).ok());
  drain();
  auto l = ledger(s.company_id);
  EXPECT_EQ(l[0].state, tally::ChargeState::failed);
  EXPECT_EQ(l[0].attempts, app->services->billing.settings().max_attempts);
  EXPECT_NE(l[0].last_error.value_or("").find("gave up"), std::string::npos);
}

TEST_P(BillingLedger, TwoWorkersSendEachChargeExactlyOnce) {
  auto a = shop("cld-1");
  auto b = shop("cld-2");
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(app->services->billing.send_sms_reminder(a.company_id, a.invoice_id, a.account.user_id).ok());
    ASSERT_TRUE(app->services->billing.send_sms_reminder(b.company_id, b.invoice_id, b.account.user_id).ok());
  }
  tally::BillingDispatcherOptions o;
  o.owner = "second-worker";
  o.batch = 3;
  // Same database, another lease owner on another thread (its own pooled connection on PostgreSQL).
  tally::BillingDispatcher other_worker(*app->db, app->clock, mno::SecureRandom::instance(), app->registry,
                                        [this] { return app->services->http; },
                                        [this]() -> const tally::BillingSettings& { return app->services->billing.settings(); }, o);
  std::thread t([&] {
    for (int i = 0; i < 30; ++i) EXPECT_TRUE(other_worker.run_once().ok());
  });
  drain();
  t.join();
  drain();
  EXPECT_EQ(platform->bills().size(), 20u);
  EXPECT_EQ(platform->recurring_bills().size(), 2u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM billing_charges WHERE state <> 'done'"), 0);
}

TALLY_INSTANTIATE_DATABASE_TESTS(BillingLedger);

}  // namespace
