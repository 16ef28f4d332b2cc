// Inbox worker: claims stored notification entities (oldest first per record) and applies each through its
// adapter, in the write transaction (one per claimed batch, a savepoint per entity) that also updates the id map
// and finishes the inbox row, so a change takes effect exactly once even if the worker dies mid-way. Skips, as done, a change older than the newest one
// already applied to that record ("stale") and a change that only reflects our own push ("echo": updated_at not
// after the id map's last_push_at, connec.md 4.8; a whole-second stamp in the push's own second is applied, since
// another app may have edited just after our push). sync.waiting from an adapter (unknown reference) retries
// later with backoff; other errors dead-letter the row.
// Conflict rule (connec.md 4.4 rule 5, 6): when the record also changed locally since the last sync (an outbox row
// of it is still unsent), the newer change wins by updated_at (local: EntityAdapter::local_updated_at, else the
// latest unsent outbox change; Connec!: the record's updated_at; a Connec! change without updated_at loses), or
// Connec! always wins with ConflictPolicy::prefer_connec. A Connec! win applies the
// change and finishes the pending outbox rows of the record ("superseded"); a local win skips the inbound change
// (outcome "conflict") and lets the outbox push the local version. Either way the loser is logged
// (sync.conflict, with both times).
#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "mno/db/database.hpp"
#include "mno/sync/adapter.hpp"
#include "mno/sync/backoff.hpp"
#include "mno/sync/inbox.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace mno::sync {

enum class ConflictPolicy { newest_wins, prefer_connec };

struct InboxWorkerOptions {
  std::string worker_id;
  std::chrono::milliseconds lease{60000};
  int claim_limit = 100;
  int max_attempts = 20;          // sync.waiting rows wait longer than transport retries
  BackoffPolicy backoff;
  ConflictPolicy conflicts = ConflictPolicy::newest_wins;
};

struct ApplyReport {
  int claimed = 0;
  int applied = 0;
  int skipped = 0;    // stale, echo, or a conflict the local side won
  int conflicts = 0;  // both sides changed (counted once, whoever won)
  int waiting = 0;    // retried later
  int dead = 0;
  int lost_lease = 0;
};

class InboxWorker {
 public:
  // tenants may be null: adapters then get InboundChange::target == nullptr.
  InboxWorker(std::shared_ptr<db::Database> db, const AdapterRegistry& adapters, TenantDirectory* tenants,
              const Clock& clock, Random& random, InboxWorkerOptions options);
  Result<ApplyReport> run_once();
  Result<ApplyReport> drain(int max_rounds = 1000);

 private:
  enum class Verdict { no_conflict, connec_wins, local_wins };
  Result<std::string> apply_one(db::Connection& c, EntityAdapter& adapter, const InboxItem& item,
                                const TenantTarget* target, TimePoint now, bool& conflict);
  Result<Verdict> resolve_conflict(db::Connection& c, EntityAdapter& adapter, const InboxItem& item,
                                   const std::string& local_id);

  std::shared_ptr<db::Database> db_;
  const AdapterRegistry& adapters_;
  TenantDirectory* tenants_;
  const Clock& clock_;
  Random& random_;
  InboxWorkerOptions options_;
};

}  // namespace mno::sync
