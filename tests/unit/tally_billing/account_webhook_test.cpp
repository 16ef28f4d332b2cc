// Account webhooks (checklist 2.2.1, 2.2.2) through the real routes on SQLite and PostgreSQL: group
// cancellation and member removal with good credentials, bad credentials, another marketplace's
// credentials, no credentials (all the same 401), repeated delivery and unknown ids (200, no effect);
// access lost at once; per-seat billing lowered from the next period; virtual mode disables the user;
// the retention purge on the injected clock.
#include <gtest/gtest.h>

#include "billing_test_support.hpp"
#include "mno/util/iso8601.hpp"
#include "tally/domain/billing_service.hpp"
#include "tally/store/identity_store.hpp"

using namespace billingtest;

namespace {

class AccountWebhook : public BillingTest {
 protected:
  // A marketplace company whose admin also has a local password (linked by email), signed in.
  struct Team {
    int64_t company_id = 0;
    testenv::AppHarness::Account admin;
    testenv::AppHarness::Account member;
  };
  Team team(const std::string& group = "cld-1") {
    Team t;
    t.admin = app->create_account("admin@example.com", "Zz admin local");
    t.member = app->create_account("member@example.com", "Zz member local");
    auto p = provision(group, {"usr-1", t.admin.email, "Admin"}, app->clock.now() + std::chrono::hours(24 * 30));
    provision(group, {"usr-2", t.member.email, "Member"}, app->clock.now() + std::chrono::hours(24 * 30));
    t.company_id = p.company.id;
    return t;
  }
  testenv::Browser signed_in(const testenv::AppHarness::Account& a, int64_t company_id) {
    testenv::Browser b(app->url);
    if (!b.login(a.email, a.password)) throw std::runtime_error("login failed");
    b.get("/app");
    auto r = b.post_form("/app/switch-company", {{"company_id", std::to_string(company_id)}});
    if (r.status != 303) throw std::runtime_error("switch-company: " + std::to_string(r.status));
    return b;
  }
  tally::CompanyStatus status_of(int64_t company_id) {
    auto c = app->services->companies.get(company_id);
    if (!c) throw std::runtime_error(c.error().message);
    return c->status;
  }
  int64_t ledger_rows() { return count("SELECT COUNT(*) FROM billing_charges"); }
  std::string group_path(const std::string& group, const std::string& mkt = kMarket) {
    return "/maestrano/account/groups/" + group + (mkt.empty() ? "" : "/" + mkt);
  }
  std::string user_path(const std::string& group, const std::string& user, const std::string& mkt = kMarket) {
    return "/maestrano/account/groups/" + group + "/users/" + user + (mkt.empty() ? "" : "/" + mkt);
  }
};

TEST_P(AccountWebhook, EveryAuthenticationFailureIsTheSame401AndChangesNothing) {
  auto t = team();
  const auto rows = ledger_rows();
  for (auto [user, password] : std::vector<std::pair<std::string, std::string>>{
           {"app-a", "wrong"}, {"app-b", "key-b"}, {"", ""}, {"nobody", "key-a"}}) {
    for (const auto& path : {group_path("cld-1"), user_path("cld-1", "usr-2")}) {
      auto r = webhook(path, user, password);
      EXPECT_EQ(r.status, 401) << user << " " << path;
      EXPECT_EQ(r.body, R"({"error":"Invalid credentials"})");
      EXPECT_TRUE(r.header("www-authenticate"));
    }
  }
  // Without the marketplace suffix, two configured marketplaces make the tenant ambiguous: refused too.
  EXPECT_EQ(webhook(group_path("cld-1", ""), "app-a", "key-a").status, 401);
  EXPECT_EQ(status_of(t.company_id), tally::CompanyStatus::trialing);
  EXPECT_EQ(ledger_rows(), rows);
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships WHERE status = 'revoked'"), 0);
}

TEST_P(AccountWebhook, GroupCancellationCancelsBillingAndAccessAtOnceIdempotently) {
  auto t = team();
  drain();
  auto admin = signed_in(t.admin, t.company_id);
  ASSERT_EQ(admin.get("/app/billing").status, 200);
  auto r = webhook(group_path("cld-1"), "app-a", "key-a");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"success":true})");
  EXPECT_EQ(status_of(t.company_id), tally::CompanyStatus::cancelled);
  auto page = admin.get("/app/billing");
  EXPECT_EQ(page.status, 403);
  EXPECT_NE(page.body.find("no longer have access"), std::string::npos);
  drain();
  auto rb = platform->recurring_bills();
  ASSERT_EQ(rb.size(), 1u);
  EXPECT_EQ(rb[0]["status"], "cancelled");
  const auto rows = ledger_rows();
  // Repeated delivery: same answer, nothing new.
  auto again = webhook(group_path("cld-1"), "app-a", "key-a");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"success":true})");
  EXPECT_EQ(ledger_rows(), rows);
  // Unknown group, and a group of this name in another marketplace: success without effect.
  EXPECT_EQ(webhook(group_path("cld-404"), "app-a", "key-a").status, 200);
  EXPECT_EQ(webhook(group_path("cld-1", kOther), "app-b", "key-b").status, 200);
  EXPECT_EQ(ledger_rows(), rows);
  auto s = subscription(t.company_id);
  ASSERT_TRUE(s && s->cancelled_at && s->purge_after);
}

TEST_P(AccountWebhook, OnlyDeleteIsAccepted) {
  testenv::Browser b(app->url);
  auto r = b.send("POST", group_path("cld-1"), "", {});
  EXPECT_EQ(r.status, 405);
}

TEST_P(AccountWebhook, UserRemovalRevokesTheMembershipAtOnceIdempotently) {
  auto t = team();
  auto member = signed_in(t.member, t.company_id);
  ASSERT_EQ(member.get("/app/invoices").status, 200);
  auto r = webhook(user_path("cld-1", "usr-2"), "app-a", "key-a");
  ASSERT_EQ(r.status, 200) << r.body;
  auto page = member.get("/app/invoices");
  EXPECT_EQ(page.status, 403);
  auto m = app->services->accounts.membership(t.member.user_id, t.company_id);
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships WHERE status = 'revoked'"), 1);
  // Real mode: the user keeps their account (and their own company).
  auto u = app->services->accounts.get_user(t.member.user_id);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->status, tally::UserStatus::active);
  const auto rows = ledger_rows();
  EXPECT_EQ(webhook(user_path("cld-1", "usr-2"), "app-a", "key-a").status, 200);
  EXPECT_EQ(webhook(user_path("cld-1", "usr-404"), "app-a", "key-a").status, 200);
  EXPECT_EQ(webhook(user_path("cld-404", "usr-2"), "app-a", "key-a").status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships WHERE status = 'revoked'"), 1);
  EXPECT_EQ(ledger_rows(), rows);
  EXPECT_EQ(member.get("/app/invoices").status, 403);
}

TEST_P(AccountWebhook, RemovingAMemberLowersPerSeatBillingFromTheNextPeriod) {
  auto t = team();
  ASSERT_TRUE(app->services->billing.choose_plan(t.company_id, "per_seat_monthly", 2).ok());
  drain();
  app->clock.advance(std::chrono::hours(24 * 45));
  const auto now = app->clock.now();
  ASSERT_EQ(webhook(user_path("cld-1", "usr-2"), "app-a", "key-a").status, 200);
  auto s = subscription(t.company_id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->seats, 1);
  drain();
  auto rb = platform->recurring_bills();
  ASSERT_EQ(rb.size(), 2u);
  EXPECT_EQ(rb[0]["status"], "cancelled");
  EXPECT_EQ(rb[1]["price_cents"], 800);
  auto trial_end = *mno::parse_iso8601(s->trial_ends_at);
  EXPECT_EQ(rb[1]["start_date"], mno::format_iso8601(tally::next_period_start(trial_end, now + std::chrono::seconds(1))));
}

TEST_P(AccountWebhook, VirtualModeDisablesTheUser) {
  market = test_marketplace(kMarket, "app-a", "key-a", "virtual");
  app->registry.replace({market, other});
  auto p = provision("cld-7", {"usr-9.cld-7", "virtual@example.com", "Member"}, app->clock.now() + std::chrono::hours(24));
  auto r = webhook(user_path("cld-7", "usr-9"), "app-a", "key-a");
  ASSERT_EQ(r.status, 200) << r.body;
  auto u = app->services->accounts.get_user(p.user.id);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->status, tally::UserStatus::disabled);
}

TEST_P(AccountWebhook, CancelledCompanyDataIsPurgedAfterTheRetentionPeriod) {
  auto t = team();
  auto s0 = app->services->billing.settings();
  s0.retention = std::chrono::hours(24 * 7);
  app->services->billing.configure(s0);
  ASSERT_TRUE(app->services->customers.create(t.company_id, customer_named("Client")).ok());
  ASSERT_EQ(webhook(group_path("cld-1"), "app-a", "key-a").status, 200);
  drain();
  app->clock.advance(std::chrono::hours(24 * 7 - 1));
  auto none = app->services->billing.purge_due();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM customers WHERE company_id = " + std::to_string(t.company_id)), 1);
  app->clock.advance(std::chrono::hours(2));
  auto purged = app->services->billing.purge_due();
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM customers WHERE company_id = " + std::to_string(t.company_id)), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships WHERE company_id = " + std::to_string(t.company_id)), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM billing_charges WHERE company_id = " + std::to_string(t.company_id)), 0)
      << "the billing history is kept";
  auto s = subscription(t.company_id);
  ASSERT_TRUE(s && s->purged_at);
  EXPECT_EQ(*app->services->billing.purge_due(), 0) << "purged once";
  // The other companies of its members are untouched.
  EXPECT_EQ(status_of(t.admin.company_id), tally::CompanyStatus::active);
}

TALLY_INSTANTIATE_DATABASE_TESTS(AccountWebhook);

}  // namespace
