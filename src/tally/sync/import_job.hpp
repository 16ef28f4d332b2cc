// The background job that runs Connec! initial imports ("connec_import"), and the start of one when a company is
// created at its first SSO (checklist 3.1.1). The job claims import runs with a database lease
// (mno::sync::Importer), so any number of workers may run it; imported records land in the inbox and are applied
// by the inbox job.
#pragma once
#include <memory>

#include "mno/sync/adapter.hpp"
#include "mno/sync/importer.hpp"
#include "tally/app/services.hpp"
#include "tally/worker/job_runner.hpp"

namespace tally::sync {

inline constexpr const char* kImportJobName = "connec_import";

// The job; tenants resolves a company to its Connec! client and group, and must outlive the job.
Job make_import_job(Services& services, mno::sync::TenantDirectory& tenants, mno::sync::ImporterOptions options = {});

// Adds the job to the runner when data sharing is set up (services.sync with its directory); app/jobs.cpp calls it.
void register_import_job(JobRunner& runner, Services& services);

// Queues the initial import of a company (idempotent) and nudges the job. Companies without a marketplace group
// do nothing.
mno::Status start_initial_import(Services& services, int64_t company_id);

// Chains start_initial_import onto services.on_company_created (keeping what was hooked there before).
void hook_initial_import(Services& services);

}  // namespace tally::sync
