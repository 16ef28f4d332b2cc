// The list of Tally's background jobs, in one place: every process that runs a worker (`tally serve`
// without --no-worker, `tally worker`) registers the same jobs, so scaling out is starting more of them.
#pragma once
#include "tally/app/services.hpp"
#include "tally/app/settings.hpp"
#include "tally/worker/job_runner.hpp"

namespace tally {

void register_jobs(JobRunner& runner, Services& services, const Settings& settings);

}  // namespace tally
