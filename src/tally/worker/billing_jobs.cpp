// See billing_jobs.hpp. The ledger job runs often (a charge should reach the platform within
// seconds of its cause, and handlers nudge it); the retention purge is a daily-scale concern.
#include "tally/worker/billing_jobs.hpp"

#include "tally/worker/billing_dispatcher.hpp"
#include "tally/worker/billing_status_refresh.hpp"

namespace tally {

void register_billing_jobs(JobRunner& runner, Services& services, const Settings& settings) {
  BillingSettings b = services.billing.settings();
  b.trial_length = std::chrono::hours(24) * settings.billing_trial_days;
  b.retention = std::chrono::hours(24) * settings.billing_retention_days;
  services.billing.configure(b);

  BillingDispatcherOptions options;
  options.client.timeout = std::chrono::seconds(30);
  options.client.retry.max_attempts = 2;  // the job retries the row itself, with backoff
  auto dispatcher = std::make_shared<BillingDispatcher>(
      *services.db, services.clock, services.random, services.registry, [&services] { return services.http; },
      [&services]() -> const BillingSettings& { return services.billing.settings(); }, options);
  runner.add(Job{kBillingLedgerJob, [dispatcher] { return dispatcher->run_once(); }, std::chrono::seconds(5)});
  // The platform invoices bills on its own schedule; the billing page shows what it says.
  auto refresher = std::make_shared<BillingStatusRefresher>(
      *services.db, services.clock, services.registry, [&services] { return services.http; }, options.client);
  runner.add(Job{kBillingStatusJob, [refresher] { return refresher->run_once(); }, std::chrono::minutes(5)});
  // Daily-scale housekeeping: trials that have ended, then the retention purge.
  runner.add(Job{kBillingRetentionJob,
                 [&services]() -> mno::Result<int> {
                   auto ended = services.billing.end_trials();
                   if (!ended) return ended.error();
                   auto purged = services.billing.purge_due();
                   if (!purged) return purged.error();
                   return *ended + *purged;
                 },
                 std::chrono::minutes(10)});
}

}  // namespace tally
