// Inbox worker; see inbox_worker.hpp. The apply, the id-map update and the row's "done" commit together, and the
// row is fenced first, so a worker that lost its lease applies nothing.
#include "mno/sync/inbox_worker.hpp"

#include "mno/connec/ids.hpp"
#include "mno/sync/id_map.hpp"
#include "mno/sync/time_ms.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"

namespace mno::sync {
namespace {

std::string describe(const Error& e) { return e.code + ": " + e.message; }

constexpr const char* kLeaseLost = "sync.lease_lost";

std::string iso_or_none(std::optional<TimePoint> t) { return t ? format_iso8601(*t) : std::string("none"); }

// Only what we pushed ourselves coming back (connec.md 4.8 rule 1): Connec! stamped it before our push returned.
// Connec! stamps whole seconds, so a stamp in the very second of our push may as well be another app's edit made
// just after it; that one is applied (an echo applied again is an idempotent update), never skipped.
bool is_own_echo(TimePoint updated_at, TimePoint last_push_at) {
  if (updated_at > last_push_at) return false;
  const auto whole = std::chrono::floor<std::chrono::seconds>(updated_at);
  const bool same_second = whole == updated_at && whole == std::chrono::floor<std::chrono::seconds>(last_push_at);
  return !same_second;
}

}  // namespace

// Both sides changed the record since the last sync when an outbox row of it is still unsent. The loser is logged
// with both times; when Connec! wins, the unsent local rows are finished so they do not overwrite it afterwards
// (a row already being sent cannot be recalled: its push and the applied change then race, the later one wins).
Result<InboxWorker::Verdict> InboxWorker::resolve_conflict(db::Connection& c, EntityAdapter& adapter,
                                                           const InboxItem& item, const std::string& local_id) {
  const std::string entity = adapter.entity();
  auto unsent = c.query(
      "SELECT COUNT(*), MAX(CASE WHEN attempts = 0 THEN updated_at ELSE created_at END) FROM sync_outbox "
      "WHERE tenant = $1 AND entity = $2 AND local_id = $3 AND state = 'pending'",
      {item.tenant, entity, local_id});
  if (!unsent) return unsent.error();
  if (unsent->empty() || unsent->front().i64(0) == 0) return Verdict::no_conflict;
  std::optional<TimePoint> local_time;
  if (auto t = unsent->front().opt_i64(1)) local_time = detail::from_ms(*t);
  auto adapter_time = adapter.local_updated_at(c, item.tenant, local_id);
  if (!adapter_time) return adapter_time.error();
  if (*adapter_time) local_time = *adapter_time;
  const bool connec_wins = options_.conflicts == ConflictPolicy::prefer_connec ||
                           (item.updated_at && (!local_time || *item.updated_at > *local_time));
  log::info("sync.conflict", {{"tenant", item.tenant},
                              {"entity", entity},
                              {"local_id", local_id},
                              {"connec_id", item.connec_id},
                              {"winner", connec_wins ? "connec" : "local"},
                              {"loser", connec_wins ? "local" : "connec"},
                              {"local_updated_at", iso_or_none(local_time)},
                              {"connec_updated_at", iso_or_none(item.updated_at)},
                              {"policy", options_.conflicts == ConflictPolicy::prefer_connec ? "prefer_connec"
                                                                                            : "newest_wins"}});
  if (!connec_wins) return Verdict::local_wins;
  auto superseded = c.execute(
      "UPDATE sync_outbox SET state = 'done', last_error = $4, updated_at = $5 "
      "WHERE tenant = $1 AND entity = $2 AND local_id = $3 AND state = 'pending'",
      {item.tenant, entity, local_id,
       "sync.superseded: a newer change from Connec! (" + iso_or_none(item.updated_at) + ") won the conflict",
       detail::to_ms(clock_.now())});
  if (!superseded) return superseded.error();
  return Verdict::connec_wins;
}

InboxWorker::InboxWorker(std::shared_ptr<db::Database> db, const AdapterRegistry& adapters, TenantDirectory* tenants,
                         const Clock& clock, Random& random, InboxWorkerOptions options)
    : db_(std::move(db)), adapters_(adapters), tenants_(tenants), clock_(clock), random_(random),
      options_(std::move(options)) {}

// One claimed batch is applied in one write transaction (one commit for the batch, not one per entity), each
// entity inside its own savepoint: an entity that fails is rolled back alone and marked for retry or dead in the
// same transaction, while storage trouble aborts the whole batch and the leases bring its rows back.
Result<ApplyReport> InboxWorker::run_once() {
  ApplyReport rep;
  auto items = claim_inbox(*db_, {options_.worker_id, options_.lease, options_.claim_limit}, clock_.now());
  if (!items) return items.error();
  rep.claimed = static_cast<int>(items->size());
  if (items->empty()) return rep;

  struct Work {
    const InboxItem* item = nullptr;
    EntityAdapter* adapter = nullptr;
    std::optional<TenantTarget> target;
    std::optional<Error> refused;  // before the apply: no adapter, unknown tenant
    std::optional<Error> failure;  // refused, or the apply's error
    std::string outcome;           // applied, stale, echo, conflict; empty when failed or lost
    bool conflict = false;
    bool retry = false;
    bool ours = true;              // false: the lease was lost
  };
  std::vector<Work> work;
  work.reserve(items->size());
  for (const auto& item : *items) {
    Work w;
    w.item = &item;
    w.adapter = adapters_.by_collection(item.collection);
    if (!w.adapter) {
      w.refused = make_error("sync.no_adapter", "no adapter for collection " + item.collection);
    } else if (tenants_) {
      auto t = tenants_->target(item.tenant);
      if (t) w.target = *t;
      else w.refused = t.error();
    }
    work.push_back(std::move(w));
  }
  const TimePoint now = clock_.now();
  auto done = db_->transaction([&](db::Connection& c) -> Status {
    for (Work& w : work) {  // the transaction may be retried: start each entity afresh
      w.failure = w.refused;
      w.outcome.clear();
      w.conflict = w.retry = false;
      w.ours = true;
      const InboxItem& item = *w.item;
      if (!w.failure) {
        if (auto s = c.execute("SAVEPOINT inbox_item"); !s) return s.error();
        auto r = apply_one(c, *w.adapter, item, w.target ? &*w.target : nullptr, now, w.conflict);
        if (!r) {
          if (auto s = c.execute("ROLLBACK TO SAVEPOINT inbox_item"); !s) return s.error();
        }
        if (auto s = c.execute("RELEASE SAVEPOINT inbox_item"); !s) return s.error();
        if (r) {
          w.outcome = *r;
          continue;
        }
        if (r.error().code == kLeaseLost) {
          w.ours = false;
          continue;
        }
        if (r.error().code.rfind("db.", 0) == 0 && r.error().code != "db.constraint") return r.error();
        w.failure = r.error();
        w.conflict = false;
      }
      const Error& failure = *w.failure;
      w.retry = (failure.code == "sync.waiting" || failure.code == "sync.unknown_tenant" ||
                 failure.code == "db.constraint") &&
                item.attempts < options_.max_attempts;
      auto m = w.retry ? mark_inbox_retry(c, item, now + backoff_delay(options_.backoff, item.attempts, random_),
                                          describe(failure), now)
                       : mark_inbox_dead(c, item, describe(failure), now);
      if (!m) return m.error();
      w.ours = *m;
    }
    return {};
  });
  if (!done) return done.error();  // storage trouble: stop the round, the leases bring the rows back

  for (const Work& w : work) {
    if (!w.ours) {
      ++rep.lost_lease;
    } else if (!w.failure) {
      if (w.conflict) ++rep.conflicts;
      if (w.outcome == "applied") ++rep.applied;
      else ++rep.skipped;
    } else if (w.retry) {
      ++rep.waiting;
    } else {
      ++rep.dead;
      log::warn("sync.inbox.dead", {{"inbox_id", std::to_string(w.item->id)}, {"tenant", w.item->tenant},
                                    {"collection", w.item->collection}, {"error", w.failure->code}});
    }
  }
  return rep;
}

// One entity: fenced (a row another worker took over applies nothing), then stale / echo / conflict checks,
// then the adapter's write and the id map, all in the caller's savepoint.
Result<std::string> InboxWorker::apply_one(db::Connection& c, EntityAdapter& adapter, const InboxItem& item,
                                           const TenantTarget* target, TimePoint now, bool& conflict) {
  auto ours = mark_inbox_done(c, item, "applied", now);
  if (!ours) return ours.error();
  if (!*ours) return make_error(kLeaseLost, "inbox row taken over by another worker");
  const std::string entity = adapter.entity();
  auto entry = find_by_connec_id(c, item.tenant, entity, item.connec_id);
  if (!entry) return entry.error();
  std::optional<std::string> local_id;
  if (*entry) {
    const auto& e = **entry;
    local_id = e.local_id;
    if (item.updated_at && e.remote_updated_at && *item.updated_at < *e.remote_updated_at) {
      if (auto m = c.execute("UPDATE sync_inbox SET outcome = 'stale' WHERE id = $1", {item.id}); !m) return m.error();
      return std::string("stale");
    }
    bool pulled_after_push = e.last_pull_at && e.last_push_at && *e.last_pull_at > *e.last_push_at;
    if (item.updated_at && e.last_push_at && !pulled_after_push && is_own_echo(*item.updated_at, *e.last_push_at)) {
      if (auto m = c.execute("UPDATE sync_inbox SET outcome = 'echo' WHERE id = $1", {item.id}); !m) return m.error();
      return std::string("echo");
    }
  }
  if (!local_id && target && item.record.is_object() && item.record.contains("id"))
    local_id = connec::find_own_id(item.record["id"], target->app);
  if (local_id) {
    auto verdict = resolve_conflict(c, adapter, item, *local_id);
    if (!verdict) return verdict.error();
    if (*verdict != Verdict::no_conflict) conflict = true;
    if (*verdict == Verdict::local_wins) {
      if (auto m = c.execute("UPDATE sync_inbox SET outcome = 'conflict' WHERE id = $1", {item.id}); !m)
        return m.error();
      return std::string("conflict");
    }
  }
  InboundChange change;
  change.tenant = item.tenant;
  change.entity = entity;
  change.collection = item.collection;
  change.connec_id = item.connec_id;
  change.local_id = local_id;
  change.record = item.record;
  change.updated_at = item.updated_at;
  change.origin = Origin::connec;
  change.target = target;
  auto written = adapter.from_connec(c, change);
  if (!written) return written.error();
  if (auto s = record_pull(c, item.tenant, entity, *written, item.connec_id, item.updated_at, now); !s)
    return s.error();
  return std::string("applied");
}

Result<ApplyReport> InboxWorker::drain(int max_rounds) {
  ApplyReport total;
  for (int i = 0; i < max_rounds; ++i) {
    auto r = run_once();
    if (!r) return r.error();
    if (r->claimed == 0) break;
    total.claimed += r->claimed;
    total.applied += r->applied;
    total.skipped += r->skipped;
    total.conflicts += r->conflicts;
    total.waiting += r->waiting;
    total.dead += r->dead;
    total.lost_lease += r->lost_lease;
  }
  return total;
}

}  // namespace mno::sync
