// The two background jobs of data sharing, registered by app/jobs.cpp: "connec_outbox" (libmno's Dispatcher:
// outbox rows -> Connec!) and "connec_inbox" (libmno's InboxWorker: stored notifications -> Tally records).
// Both claim work with leases in the database under a worker id unique to this process, so any number of
// `tally serve` / `tally worker` processes can run them on one PostgreSQL.
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "tally/sync/sync_context.hpp"
#include "tally/worker/job_runner.hpp"

namespace tally {
struct Services;
}  // namespace tally

namespace tally::sync {

inline constexpr const char* kOutboxJob = "connec_outbox";
inline constexpr const char* kInboxJob = "connec_inbox";

// "<host>-<pid>-<random hex>": lease owner of this process's sync jobs.
std::string process_worker_id(mno::Random& random);

struct SyncJobOptions {
  std::string worker_id;                         // lease owner; unique per process
  std::chrono::milliseconds idle_interval{1000};  // how often an idle job looks for due rows (retries, other processes)
  std::chrono::milliseconds lease{60000};        // must exceed the Connec! client timeout (60 s default)
};

// The jobs over `context` (kept alive by the jobs). Add them with JobRunner::add.
std::vector<Job> make_sync_jobs(std::shared_ptr<mno::db::Database> db, std::shared_ptr<SyncContext> context,
                                const mno::Clock& clock, mno::Random& random, SyncJobOptions options);

// app/jobs.cpp's one call: the jobs over services.sync with a fresh process worker id and the given
// lease (nothing when services.sync is null).
void register_sync_jobs(JobRunner& runner, Services& services, std::chrono::milliseconds lease);

}  // namespace tally::sync
