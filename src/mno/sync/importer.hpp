// Initial import (connec.md 1.4, 4.3; ARCHITECTURE "Import"): for one tenant, every shared collection is paged in
// from Connec! in reference order (organizations before the people that point at them, ...). Each page's records
// go into the inbox (the inbox worker applies them through the adapters, in order, references waiting when needed)
// together with the collection's cursor (the page's pagination.next) and progress (records done of the API's
// pagination total) in ONE transaction, so a crash between pages resumes from the last stored page and never
// stores a page twice. Runs are claimed with a lease like outbox rows (several workers, one database); every page
// transaction is fenced by (lease_owner, attempts) and extends the lease.
// Tables come from import_migrations(base) (import_schema.hpp).
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/sync/adapter.hpp"
#include "mno/sync/backoff.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace mno::sync {

// References first: organizations, then people (organization_id), items, invoices (organization, person, items).
inline const std::vector<std::string>& default_import_collections() {
  static const std::vector<std::string> c = {"organizations", "people", "items", "invoices"};
  return c;
}

enum class ImportState { pending, running, done, failed };
std::string_view to_string(ImportState s);

struct ImportCollectionProgress {
  std::string collection;
  int position = 0;                    // import order
  int64_t done = 0;                    // records stored into the inbox
  std::optional<int64_t> total;        // pagination.total of the latest page (nullopt until the first page)
  int64_t pages = 0;
  bool finished = false;
  // 0..100; a finished collection is 100 even when the total moved while importing.
  int percent() const;
};

struct ImportRun {
  int64_t id = 0;
  std::string tenant;
  ImportState state = ImportState::pending;
  int attempts = 0;                     // claims so far (the fencing token)
  int failures = 0;                     // consecutive failed rounds (reset by a page stored)
  std::optional<std::string> last_error;  // "code: message" of the last failure
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> finished_at;
  std::vector<ImportCollectionProgress> collections;  // in import order
  int64_t done() const;                 // records over every collection
  std::optional<int64_t> total() const; // nullopt while a collection's total is unknown
};

// Queues an import of `collections` (in that order) for the tenant inside the caller's write transaction.
// Idempotent: a pending or running run of the tenant is returned instead of a second one.
Result<int64_t> request_import(db::Connection& c, std::string_view tenant, const std::vector<std::string>& collections,
                               TimePoint now);
Result<int64_t> request_import(db::Database& db, std::string_view tenant, const std::vector<std::string>& collections,
                               TimePoint now);
// The newest run of the tenant with its progress, nullopt when it never had one.
Result<std::optional<ImportRun>> latest_import(db::Connection& c, std::string_view tenant);
Result<std::optional<ImportRun>> latest_import(db::Database& db, std::string_view tenant);
// Operator retry of a failed run: back to pending, due now, resuming from its stored cursors. false when the run
// is not the tenant's or not failed.
Result<bool> retry_import(db::Database& db, std::string_view tenant, int64_t run_id, TimePoint now);

struct ImporterOptions {
  std::string worker_id;
  std::chrono::milliseconds lease{std::chrono::minutes(5)};
  int page_size = 100;                 // $top of the first page; later pages follow pagination.next
  int max_pages_per_round = 50;        // bounds one run_once (a job round) so the runner stays responsive
  int max_attempts = 8;                // failed claims before the run is marked failed
  BackoffPolicy backoff{std::chrono::seconds(5), std::chrono::minutes(10)};
};

struct ImportReport {
  int runs_claimed = 0;
  int pages = 0;
  int64_t records = 0;
  int runs_done = 0;
  int runs_failed = 0;      // given up (state failed)
  int runs_retrying = 0;    // failed this round, due again later
  int lost_lease = 0;
};

class Importer {
 public:
  Importer(std::shared_ptr<db::Database> db, TenantDirectory& tenants, const Clock& clock, Random& random,
           ImporterOptions options);
  // Claims at most one due run (pending and due, or running with an expired lease) and imports up to
  // max_pages_per_round pages of it. A run not finished in this round goes back to pending, due at once, so the
  // next round (of any worker) continues from its cursors; a failure makes it due after a backoff, and after
  // max_attempts consecutive failures it is failed.
  Result<ImportReport> run_once();
  // Rounds until nothing is due (tests, `tally worker --once`).
  Result<ImportReport> drain(int max_rounds = 10000);

 private:
  std::shared_ptr<db::Database> db_;
  TenantDirectory& tenants_;
  const Clock& clock_;
  Random& random_;
  ImporterOptions options_;
};

}  // namespace mno::sync
