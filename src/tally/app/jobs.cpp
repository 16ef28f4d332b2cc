// See jobs.hpp. Each feature adds its jobs here with one call; the jobs themselves live with their
// feature (billing, sync) and claim their work with database leases, so several workers can share it.
#include "tally/app/jobs.hpp"

#include "tally/sync/import_job.hpp"
#include "tally/sync/sync_jobs.hpp"
#include "tally/worker/billing_jobs.hpp"

namespace tally {

void register_jobs(JobRunner& runner, Services& services, const Settings& settings) {
  register_billing_jobs(runner, services, settings);
  sync::register_sync_jobs(runner, services, std::chrono::seconds(settings.sync_lease_seconds));
  sync::register_import_job(runner, services);
}

}  // namespace tally
