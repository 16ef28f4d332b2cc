// BillingService: the one place that changes a company's platform billing. Every change writes its
// ledger rows (billing.hpp) in the SAME transaction as its cause, so a charge is never lost (the
// cause committed, the row too) nor invented (the cause rolled back, the row too); the billing worker
// sends them. Callers wake the worker with services.nudge_worker(kBillingLedgerJob) afterwards.
//   start           a new marketplace company: default plan, trial end = the group's free-trial end
//                   or now + settings.trial_length; its recurring bill starts at the trial end.
//   choose_plan     cancel the current recurring bill and create the new one from the next period
//                   (the trial end while trialing).
//   send_sms_reminder  the paid in-app action (spec 2.1.2): the reminder and its bill, one transaction.
//   cancel_group    account webhook DELETE group (2.2.1): recurring bill cancelled, company cancelled,
//                   purge date set. Idempotent; an unknown group is "not found", not an error.
//   remove_group_user  account webhook DELETE group user (2.2.2): membership revoked (virtual
//                   creation mode: the user disabled too), per-seat seats lowered from the next period.
//   purge_due       retention: data of companies cancelled longer than settings.retention ago.
// Error codes: validation.failed (fields plan, seats), record.not_found, billing.not_available (the
// company has no platform billing), billing.cancelled, db.*.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/config/marketplace.hpp"
#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/billing.hpp"
#include "tally/domain/company.hpp"
#include "tally/domain/company_service.hpp"

namespace tally {

inline constexpr const char* kBillingLedgerJob = "billing_ledger";
inline constexpr const char* kBillingRetentionJob = "billing_retention";

struct WebhookOutcome {
  bool found = false;    // the group (and user) exist in this marketplace
  bool changed = false;  // false on a repeated delivery
};

class BillingService {
 public:
  BillingService(mno::db::Database& db, const mno::Clock& clock, mno::Random& random, CompanyService& companies);

  // Set once at startup (before requests); the defaults suit tests.
  void configure(const BillingSettings& settings) { settings_ = settings; }
  const BillingSettings& settings() const { return settings_; }

  // nullopt (no error) for a company that did not come from a marketplace. Idempotent: an existing
  // subscription is returned unchanged.
  mno::Result<std::optional<Subscription>> start(int64_t company_id);
  mno::Result<std::optional<Subscription>> start(mno::db::Connection& tx, const Company& company);

  mno::Result<BillingOverview> overview(int64_t company_id);

  // seats is ignored (kept at 1) for flat plans; per-seat plans need 1..kMaxSeats.
  mno::Result<Subscription> choose_plan(int64_t company_id, const std::string& plan_code, int seats);

  // record.not_found when the invoice is not this company's. Returns the ledger row of the bill.
  mno::Result<Charge> send_sms_reminder(int64_t company_id, int64_t invoice_id, int64_t user_id);

  mno::Result<WebhookOutcome> cancel_group(const mno::config::Marketplace& marketplace, const std::string& group_uid);
  // user_uid is the platform's REAL uid; it is masked per the marketplace's creation mode (spec 3.7).
  mno::Result<WebhookOutcome> remove_group_user(const mno::config::Marketplace& marketplace, const std::string& group_uid,
                                                const std::string& user_uid);

  // Purges up to `limit` companies whose purge date passed; returns how many.
  mno::Result<int> purge_due(int limit = 10);
  // Companies whose trial has ended become active (the recurring bill already starts at the trial end).
  // Returns how many changed.
  mno::Result<int> end_trials();

  // The ledger of one company, newest first (the page, tests).
  mno::Result<std::vector<Charge>> charges(int64_t company_id);

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  mno::Random& random_;
  CompanyService& companies_;
  BillingSettings settings_;
};

// The first recurring charge of a period-aligned schedule: the earliest anchor + n months (n >= 0)
// that is not before `not_before`. Months are calendar months in UTC; a day missing in a short
// month is clamped to its last day.
mno::TimePoint next_period_start(mno::TimePoint anchor, mno::TimePoint not_before);

}  // namespace tally
