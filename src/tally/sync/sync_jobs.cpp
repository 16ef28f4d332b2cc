// See sync_jobs.hpp. Each job runs one bounded round per call (claim up to the limit, send/apply, record) and
// reports how many rows it finished, so the runner repeats it at once while there is work.
#include "tally/sync/sync_jobs.hpp"

#include <unistd.h>

#include "mno/sync/dispatcher.hpp"
#include "mno/sync/inbox_worker.hpp"
#include "mno/util/log.hpp"
#include "tally/app/services.hpp"

namespace tally::sync {

std::string process_worker_id(mno::Random& random) {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "tally") + "-" + std::to_string(::getpid()) + "-" + random.hex_token(4);
}

std::vector<Job> make_sync_jobs(std::shared_ptr<mno::db::Database> db, std::shared_ptr<SyncContext> context,
                                const mno::Clock& clock, mno::Random& random, SyncJobOptions options) {
  mno::sync::DispatcherOptions dispatch;
  dispatch.worker_id = options.worker_id + "/outbox";
  dispatch.lease = options.lease;
  auto dispatcher = std::make_shared<mno::sync::Dispatcher>(db, *context->directory, *context->adapters, clock, random,
                                                            dispatch);
  mno::sync::InboxWorkerOptions inbox;
  inbox.worker_id = options.worker_id + "/inbox";
  inbox.lease = options.lease;
  auto worker = std::make_shared<mno::sync::InboxWorker>(db, *context->adapters, context->directory.get(), clock, random,
                                                         inbox);
  std::vector<Job> jobs;
  jobs.push_back({kOutboxJob,
                  [dispatcher, context]() -> mno::Result<int> {
                    auto r = dispatcher->run_once();
                    if (!r) return r.error();
                    return r->claimed;
                  },
                  options.idle_interval});
  jobs.push_back({kInboxJob,
                  [worker, context]() -> mno::Result<int> {
                    auto r = worker->run_once();
                    if (!r) return r.error();
                    return r->claimed;
                  },
                  options.idle_interval});
  return jobs;
}

void register_sync_jobs(JobRunner& runner, Services& services, std::chrono::milliseconds lease) {
  if (!services.sync) return;
  SyncJobOptions options;
  options.worker_id = process_worker_id(services.random);
  options.lease = lease;
  for (auto& job : make_sync_jobs(services.db, services.sync, services.clock, services.random, options))
    runner.add(std::move(job));
}

}  // namespace tally::sync
