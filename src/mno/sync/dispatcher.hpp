// Outbox dispatcher: claims due outbox rows, builds each Connec! record through its adapter, sends it as a POST
// upsert carrying the app's external id (batched per tenant when several are due), and records the outcome:
// done (Connec! id stored in the id map), retry (connection errors, timeouts, 408/425/429/5xx, ambiguous writes:
// full-jitter backoff honouring Retry-After, as next_attempt_at), or dead (other 4xx, response kept; also after
// max_attempts or max_age). Because every send is an upsert on our external id, a retry after an ambiguous failure
// updates the record the lost reply created: no duplicate. Nothing sleeps: run_once does one round.
#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "mno/db/database.hpp"
#include "mno/sync/adapter.hpp"
#include "mno/sync/backoff.hpp"
#include "mno/sync/outbox.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace mno::sync {

struct DispatcherOptions {
  std::string worker_id;                           // lease owner; unique per worker
  std::chrono::milliseconds lease{60000};          // must exceed the Connec! client timeout
  int claim_limit = 50;                            // rows per round
  bool use_batch = true;                           // several rows of one tenant go in one /batch call
  int max_attempts = 10;
  std::chrono::milliseconds max_age{std::chrono::hours(24)};
  BackoffPolicy backoff;
};

struct DispatchReport {
  int claimed = 0;
  int done = 0;
  int retried = 0;
  int dead = 0;
  int lost_lease = 0;   // outcome not recorded because another worker took the row over
};

class Dispatcher {
 public:
  Dispatcher(std::shared_ptr<db::Database> db, TenantDirectory& tenants, const AdapterRegistry& adapters,
             const Clock& clock, Random& random, DispatcherOptions options);

  // One round: claim, send, record. Errors only for storage failures; per-row failures are in the report.
  Result<DispatchReport> run_once();
  // Rounds until a round claims nothing (tests, drain on shutdown). max_rounds guards against livelock.
  Result<DispatchReport> drain(int max_rounds = 1000);

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mno::sync
