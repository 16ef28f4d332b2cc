// Registers billing's background jobs on a JobRunner (called once from app/jobs.cpp): the ledger
// sender ("billing_ledger", worker/billing_dispatcher.hpp) and the retention purge
// ("billing_retention", BillingService::purge_due). Also applies the billing settings (trial length,
// retention) to services.billing, since every process that builds Services registers its jobs.
#pragma once
#include "tally/app/services.hpp"
#include "tally/app/settings.hpp"
#include "tally/worker/job_runner.hpp"

namespace tally {

void register_billing_jobs(JobRunner& runner, Services& services, const Settings& settings);

}  // namespace tally
