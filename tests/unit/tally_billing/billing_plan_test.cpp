// Plans and trial (checklist 2.1.1) on SQLite and PostgreSQL: the trial follows the group's free-trial
// end or Tally's own length; nothing is charged before it; a plan choice is exactly one recurring bill
// with the right start date and price; seat and plan changes cancel the old bill and start the new one
// from the next period; companies outside any marketplace have no platform billing. Also the price
// table and the period arithmetic.
#include <gtest/gtest.h>

#include "billing_test_support.hpp"
#include "mno/util/iso8601.hpp"
#include "tally/domain/billing_plans.hpp"
#include "tally/domain/billing_service.hpp"

using namespace billingtest;

namespace {

mno::TimePoint at(const std::string& iso) { return *mno::parse_iso8601(iso); }

TEST(BillingPlans, PricesPerCurrencyWithAUsdFallback) {
  auto flat = *tally::find_plan("flat_monthly");
  auto seat = *tally::find_plan("per_seat_monthly");
  EXPECT_EQ(tally::plan_monthly_price(flat, 5, "EUR").cents, 2700);
  EXPECT_EQ(tally::plan_monthly_price(seat, 3, "EUR").cents, 3 * 800);
  auto xx = tally::plan_monthly_price(flat, 1, "CHF");
  EXPECT_TRUE(xx.fallback);
  EXPECT_EQ(xx.currency, "USD");
  EXPECT_EQ(tally::format_price(tally::sms_reminder_price("GBP")), "0.20 GBP");
  EXPECT_FALSE(tally::find_plan("gold"));
}

TEST(BillingPlans, NextPeriodStartFollowsCalendarMonths) {
  EXPECT_EQ(tally::next_period_start(at("2026-01-31T10:00:00Z"), at("2026-02-01T00:00:00Z")), at("2026-02-28T10:00:00Z"));
  EXPECT_EQ(tally::next_period_start(at("2026-01-31T10:00:00Z"), at("2026-03-05T00:00:00Z")), at("2026-03-31T10:00:00Z"));
  EXPECT_EQ(tally::next_period_start(at("2026-05-10T00:00:00Z"), at("2026-05-01T00:00:00Z")), at("2026-05-10T00:00:00Z"));
  EXPECT_EQ(tally::next_period_start(at("2025-11-15T08:00:00Z"), at("2026-02-15T08:00:01Z")), at("2026-03-15T08:00:00Z"));
}

class BillingPlan : public BillingTest {};

TEST_P(BillingPlan, TrialFollowsThePlatformTrialEndAndNothingIsChargedBefore) {
  const auto trial_end = std::chrono::floor<std::chrono::seconds>(app->clock.now() + std::chrono::hours(24 * 10));
  auto p = provision("cld-1", {}, trial_end);
  auto s = subscription(p.company.id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->trial_ends_at, mno::format_iso8601(trial_end));
  EXPECT_TRUE(s->trial_from_platform);
  EXPECT_EQ(s->plan_code, "flat_monthly");
  EXPECT_EQ(drain(), 1);
  auto rb = platform->recurring_bills();
  ASSERT_EQ(rb.size(), 1u);
  EXPECT_EQ(rb[0]["group_id"], "cld-1");
  EXPECT_EQ(rb[0]["start_date"], mno::format_iso8601(trial_end));
  EXPECT_EQ(rb[0]["price_cents"], 2700);
  EXPECT_EQ(rb[0]["currency"], "EUR");
  EXPECT_EQ(rb[0]["period"], "month");
  EXPECT_TRUE(platform->bills().empty()) << "no one-off charge during the trial";
  auto l = ledger(p.company.id);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].state, tally::ChargeState::done);
  EXPECT_EQ(l[0].platform_id.value_or(""), rb[0]["id"]);
  // The hook is idempotent: a second call changes nothing.
  app->services->on_company_created(p);
  EXPECT_EQ(ledger(p.company.id).size(), 1u);
}

TEST_P(BillingPlan, WithoutAPlatformTrialEndTallysOwnTrialLengthApplies) {
  auto s0 = app->services->billing.settings();
  s0.trial_length = std::chrono::hours(24 * 14);
  app->services->billing.configure(s0);
  const auto now = app->clock.now();
  auto p = provision("cld-2", {}, std::nullopt);
  auto s = subscription(p.company.id);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->trial_from_platform);
  EXPECT_EQ(s->trial_ends_at, mno::format_iso8601(now + std::chrono::hours(24 * 14)));
  auto c = app->services->companies.get(p.company.id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status, tally::CompanyStatus::trialing);
  EXPECT_EQ(c->trial_ends_at.value_or(""), s->trial_ends_at);
  drain();
  ASSERT_EQ(platform->recurring_bills().size(), 1u);
  EXPECT_EQ(platform->recurring_bills()[0]["start_date"], s->trial_ends_at);

  // The trial ends: the company becomes active, once.
  app->clock.advance(std::chrono::hours(24 * 14 - 1));
  EXPECT_EQ(*app->services->billing.end_trials(), 0);
  app->clock.advance(std::chrono::hours(1));
  EXPECT_EQ(*app->services->billing.end_trials(), 1);
  EXPECT_EQ(app->services->companies.get(p.company.id)->status, tally::CompanyStatus::active);
  EXPECT_EQ(*app->services->billing.end_trials(), 0);
}

TEST_P(BillingPlan, ChoosingAPlanDuringTheTrialIsExactlyOneRecurringBillFromTheTrialEnd) {
  const auto trial_end = std::chrono::floor<std::chrono::seconds>(app->clock.now() + std::chrono::hours(24 * 20));
  auto p = provision("cld-1", {}, trial_end);
  // Chosen before the worker sent the default plan: the unsent row is superseded, never sent.
  auto chosen = app->services->billing.choose_plan(p.company.id, "per_seat_monthly", 3);
  ASSERT_TRUE(chosen.ok()) << chosen.error().message;
  EXPECT_EQ(chosen->seats, 3);
  drain();
  auto rb = platform->recurring_bills();
  ASSERT_EQ(rb.size(), 1u);
  EXPECT_EQ(rb[0]["price_cents"], 3 * 800);
  EXPECT_EQ(rb[0]["start_date"], mno::format_iso8601(trial_end));
  EXPECT_NE(rb[0]["description"].get<std::string>().find("3 seats"), std::string::npos);
  // Choosing the same plan again is no change at all.
  ASSERT_TRUE(app->services->billing.choose_plan(p.company.id, "per_seat_monthly", 3).ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM billing_charges WHERE state IN ('pending','sending')"), 0);
}

TEST_P(BillingPlan, ASeatChangeAfterTheTrialCancelsTheOldBillAndStartsTheNextPeriod) {
  const auto trial_end = std::chrono::floor<std::chrono::seconds>(app->clock.now() + std::chrono::hours(24));
  auto p = provision("cld-1", {}, trial_end);
  ASSERT_TRUE(app->services->billing.choose_plan(p.company.id, "per_seat_monthly", 2).ok());
  drain();
  ASSERT_EQ(platform->recurring_bills().size(), 1u);
  app->clock.advance(std::chrono::hours(24 * 40));
  const auto now = app->clock.now();
  auto changed = app->services->billing.choose_plan(p.company.id, "per_seat_monthly", 5);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  drain();
  auto rb = platform->recurring_bills();
  ASSERT_EQ(rb.size(), 2u);
  EXPECT_EQ(rb[0]["status"], "cancelled");
  EXPECT_EQ(rb[1]["status"], "submitted");
  EXPECT_EQ(rb[1]["price_cents"], 5 * 800);
  EXPECT_EQ(rb[1]["start_date"],
            mno::format_iso8601(tally::next_period_start(trial_end, now + std::chrono::seconds(1))));
  auto l = ledger(p.company.id);  // newest first: new bill, cancel, first bill (the default plan was superseded)
  ASSERT_EQ(l.size(), 4u);
  EXPECT_EQ(l[0].kind, tally::ChargeKind::recurring_bill);
  EXPECT_EQ(l[1].kind, tally::ChargeKind::cancel_recurring);
  EXPECT_EQ(l[2].platform_status.value_or(""), "cancelled");
  EXPECT_EQ(l[3].state, tally::ChargeState::superseded);
}

TEST_P(BillingPlan, InvalidChoicesAreFieldErrors) {
  auto p = provision("cld-1", {}, app->clock.now() + std::chrono::hours(24));
  auto bad = app->services->billing.choose_plan(p.company.id, "gold", 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "validation.failed");
  EXPECT_TRUE(bad.error().fields.count("plan"));
  auto seats = app->services->billing.choose_plan(p.company.id, "per_seat_monthly", 0);
  ASSERT_FALSE(seats.ok());
  EXPECT_TRUE(seats.error().fields.count("seats"));
}

TEST_P(BillingPlan, ACompanyOutsideAnyMarketplaceHasNoPlatformBilling) {
  auto acct = app->create_account("solo@example.com");
  auto started = app->services->billing.start(acct.company_id);
  ASSERT_TRUE(started.ok());
  EXPECT_FALSE(*started);
  auto chosen = app->services->billing.choose_plan(acct.company_id, "flat_monthly", 1);
  ASSERT_FALSE(chosen.ok());
  EXPECT_EQ(chosen.error().code, "billing.not_available");
  testenv::Browser b(app->url);
  ASSERT_TRUE(b.login(acct.email, acct.password));
  auto page = b.get("/app/billing");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("No platform billing"), std::string::npos);
  EXPECT_EQ(page.body.find("plan-form"), std::string::npos);
}

TALLY_INSTANTIATE_DATABASE_TESTS(BillingPlan);

}  // namespace
