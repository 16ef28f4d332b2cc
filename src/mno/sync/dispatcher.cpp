// Outbox dispatcher; see dispatcher.hpp. Claim (short transaction) -> build and send (no transaction open) ->
// record the outcomes of each call (one row, or a batch's rows) in one transaction, each fenced by its lease, so a crash at any point leaves the row either
// pending/sending (sent again later, as the same upsert) or done, never lost and never duplicated in Connec!.
#include "mno/sync/dispatcher.hpp"

#include <map>

#include "mno/connec/errors.hpp"
#include "mno/connec/ids.hpp"
#include "mno/sync/id_map.hpp"
#include "mno/util/log.hpp"

namespace mno::sync {
namespace {

std::string describe(const Error& e) { return e.code + ": " + e.message; }

std::string body_of(const Error& e) {
  auto it = e.fields.find("body");
  return it == e.fields.end() ? std::string() : it->second;
}

class Context final : public OutboundContext {
 public:
  Context(db::Database& db, const TenantTarget& target, std::string tenant)
      : db_(db), target_(target), tenant_(std::move(tenant)) {}
  const TenantTarget& target() const override { return target_; }
  Result<std::optional<std::string>> connec_id_of(std::string_view entity, std::string_view local_id) override {
    return db_.transact(
        [&](db::Connection& c) -> Result<std::optional<std::string>> {
          auto e = find_by_local_id(c, tenant_, entity, local_id);
          if (!e) return e.error();
          if (!*e) return std::optional<std::string>{};
          return (*e)->connec_id;
        },
        db::TxKind::read);
  }

 private:
  db::Database& db_;
  const TenantTarget& target_;
  std::string tenant_;
};

// One row ready to send.
struct Prepared {
  OutboxItem item;
  std::string collection;
  nlohmann::json record;
};

}  // namespace

class Dispatcher::Impl {
 public:
  Impl(std::shared_ptr<db::Database> db, TenantDirectory& tenants, const AdapterRegistry& adapters, const Clock& clock,
       Random& random, DispatcherOptions options)
      : db_(std::move(db)), tenants_(tenants), adapters_(adapters), clock_(clock), random_(random),
        options_(std::move(options)) {}

  Result<DispatchReport> run_once() {
    DispatchReport rep;
    auto items = claim(*db_, {options_.worker_id, options_.lease, options_.claim_limit}, clock_.now());
    if (!items) return items.error();
    rep.claimed = static_cast<int>(items->size());
    // Group per tenant, keeping claim (id) order inside each group.
    std::vector<std::string> order;
    std::map<std::string, std::vector<OutboxItem>> by_tenant;
    for (auto& it : *items) {
      if (!by_tenant.count(it.tenant)) order.push_back(it.tenant);
      by_tenant[it.tenant].push_back(std::move(it));
    }
    for (const auto& tenant : order) {
      if (auto s = run_tenant(tenant, by_tenant[tenant], rep); !s) return s.error();
    }
    return rep;
  }

 private:
  Status run_tenant(const std::string& tenant, std::vector<OutboxItem>& items, DispatchReport& rep) {
    auto target = tenants_.target(tenant);
    if (!target) {
      for (auto& it : items)
        if (auto s = fail(it, target.error(), rep); !s) return s;
      return {};
    }
    Context ctx(*db_, *target, tenant);
    std::vector<Prepared> ready;
    for (auto& it : items) {
      auto* adapter = adapters_.by_entity(it.entity);
      if (!adapter) {
        if (auto s = fail(it, make_error("sync.no_adapter", "no adapter for entity " + it.entity), rep); !s) return s;
        continue;
      }
      auto rec = adapter->to_connec(ctx, it);
      if (!rec) {
        if (rec.error().code == "sync.gone") {
          if (auto s = finish(it, "", rep); !s) return s;
        } else if (auto s = fail(it, rec.error(), rep); !s) {
          return s;
        }
        continue;
      }
      auto known = ctx.connec_id_of(it.entity, it.local_id);
      if (!known) return known.error();
      // Our external id makes the POST an upsert: retries after an ambiguous failure hit the same record.
      (*rec)["id"] = connec::make_id_array(it.local_id, target->app, *known);
      ready.push_back({it, adapter->collection(), std::move(*rec)});
    }
    if (ready.empty()) return {};
    if (options_.use_batch && ready.size() > 1) return send_batches(*target, ready, rep);
    for (auto& p : ready) {
      auto w = target->client->upsert(target->group_id, p.collection, p.record);
      Status s = w ? finish(p.item, w->connec_id, rep) : fail(p.item, w.error(), rep);
      if (!s) return s;
    }
    return {};
  }

  Status send_batches(const TenantTarget& target, std::vector<Prepared>& ready, DispatchReport& rep) {
    for (size_t start = 0; start < ready.size(); start += connec::kMaxBatchOps) {
      size_t end = std::min(ready.size(), start + connec::kMaxBatchOps);
      std::vector<connec::BatchOp> ops;
      for (size_t i = start; i < end; ++i)
        ops.push_back({"post", target.group_id, ready[i].collection, "", ready[i].record});
      auto results = target.client->batch(ops);
      std::vector<Outcome> outcomes;
      for (size_t i = start; i < end; ++i) {
        if (!results) {
          // A bad or lost batch reply leaves every op's outcome unknown: retry them (as upserts).
          Error e = results.error();
          if (e.code == "connec.bad_response") e.code = "connec.ambiguous";
          outcomes.push_back(failed_outcome(ready[i].item, e));
        } else {
          const auto& r = (*results)[i - start];
          outcomes.push_back(r.error ? failed_outcome(ready[i].item, *r.error) : done_outcome(ready[i].item, r.connec_id));
        }
      }
      if (auto s = record(outcomes, rep); !s) return s;
    }
    return {};
  }

  Status finish(const OutboxItem& item, const std::string& connec_id, DispatchReport& rep) {
    std::vector<Outcome> one{done_outcome(item, connec_id)};
    return record(one, rep);
  }

  Status fail(const OutboxItem& item, const Error& error, DispatchReport& rep) {
    std::vector<Outcome> one{failed_outcome(item, error)};
    return record(one, rep);
  }

  Status dead(const OutboxItem& item, const Error& error, DispatchReport& rep) {
    std::vector<Outcome> one{Outcome{&item, Outcome::dead, "", error, {}}};
    return record(one, rep);
  }

  // What becomes of a sent (or unsendable) row, decided before the transaction that records it: the backoff
  // draws randomness once, however often the transaction is retried.
  struct Outcome {
    const OutboxItem* item;
    enum Kind { done, retry, dead } kind;
    std::string connec_id;
    Error error;
    TimePoint next_attempt_at;
  };

  Outcome done_outcome(const OutboxItem& item, const std::string& connec_id) {
    return Outcome{&item, Outcome::done, connec_id, {}, {}};
  }

  Outcome failed_outcome(const OutboxItem& item, const Error& error) {
    const TimePoint now = clock_.now();
    bool retry = (connec::is_retryable(error) || error.code == "sync.waiting" || error.code == "sync.unknown_tenant") &&
                 item.attempts < options_.max_attempts && now - item.created_at < options_.max_age;
    if (!retry) return Outcome{&item, Outcome::dead, "", error, {}};
    std::optional<std::chrono::milliseconds> ra;
    if (auto s = connec::retry_after(error)) ra = std::chrono::duration_cast<std::chrono::milliseconds>(*s);
    return Outcome{&item, Outcome::retry, "", error, now + backoff_delay(options_.backoff, item.attempts, random_, ra)};
  }

  // Records outcomes in one transaction (a batch's 50 rows cost one commit, not 50), each fenced by its lease.
  // A done row whose Connec! id is already mapped to another record (sync.id_conflict) is rolled back to its
  // savepoint and dead-lettered instead; any other storage error leaves every row in flight for the lease.
  Status record(std::vector<Outcome>& outcomes, DispatchReport& rep) {
    const TimePoint now = clock_.now();
    std::vector<char> ours;
    auto r = db_->transaction([&](db::Connection& c) -> Status {
      ours.assign(outcomes.size(), 0);
      for (size_t i = 0; i < outcomes.size(); ++i) {
        Outcome& o = outcomes[i];
        const OutboxItem& item = *o.item;
        if (o.kind == Outcome::done) {
          if (auto s = c.execute("SAVEPOINT outcome"); !s) return s.error();
          auto w = record_done(c, o, now);
          if (!w && w.error().code == "sync.id_conflict") {
            if (auto s = c.execute("ROLLBACK TO SAVEPOINT outcome"); !s) return s.error();
            o = Outcome{&item, Outcome::dead, "", w.error(), {}};
          } else if (!w) {
            return w.error();
          } else {
            ours[i] = *w;
          }
          if (auto s = c.execute("RELEASE SAVEPOINT outcome"); !s) return s.error();
          if (o.kind == Outcome::done) continue;
        }
        const int status = connec::error_status(o.error);
        const std::optional<int> st = status ? std::optional<int>(status) : std::nullopt;
        auto m = o.kind == Outcome::retry
                     ? mark_retry(c, item, o.next_attempt_at, describe(o.error), st, body_of(o.error), now)
                     : mark_dead(c, item, describe(o.error), st, body_of(o.error), now);
        if (!m) return m.error();
        if (*m) {
          if (auto s = record_error(c, item.tenant, item.entity, item.local_id, describe(o.error), now); !s) return s;
        }
        ours[i] = *m;
      }
      return {};
    });
    if (!r) return r;
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const Outcome& o = outcomes[i];
      const OutboxItem& item = *o.item;
      if (!ours[i]) {
        ++rep.lost_lease;
        log::warn("sync.outbox.lease_lost", {{"outbox_id", std::to_string(item.id)}, {"worker", options_.worker_id}});
      } else if (o.kind == Outcome::done) {
        ++rep.done;
      } else if (o.kind == Outcome::retry) {
        ++rep.retried;
        log::info("sync.outbox.retry", {{"outbox_id", std::to_string(item.id)}, {"error", o.error.code},
                                        {"attempt", std::to_string(item.attempts)}});
      } else {
        ++rep.dead;
        log::warn("sync.outbox.dead", {{"outbox_id", std::to_string(item.id)}, {"tenant", item.tenant},
                                       {"entity", item.entity}, {"error", o.error.code}});
      }
    }
    return {};
  }

  Result<bool> record_done(db::Connection& c, const Outcome& o, TimePoint now) {
    auto ours = mark_done(c, *o.item, o.connec_id, now);
    if (!ours || !*ours) return ours;
    if (!o.connec_id.empty()) {
      if (auto s = record_push(c, o.item->tenant, o.item->entity, o.item->local_id, o.connec_id, now); !s)
        return s.error();
    }
    return true;
  }

  std::shared_ptr<db::Database> db_;
  TenantDirectory& tenants_;
  const AdapterRegistry& adapters_;
  const Clock& clock_;
  Random& random_;
  DispatcherOptions options_;
};

Dispatcher::Dispatcher(std::shared_ptr<db::Database> db, TenantDirectory& tenants, const AdapterRegistry& adapters,
                       const Clock& clock, Random& random, DispatcherOptions options)
    : impl_(std::make_shared<Impl>(std::move(db), tenants, adapters, clock, random, std::move(options))) {}

Result<DispatchReport> Dispatcher::run_once() { return impl_->run_once(); }

Result<DispatchReport> Dispatcher::drain(int max_rounds) {
  DispatchReport total;
  for (int i = 0; i < max_rounds; ++i) {
    auto r = run_once();
    if (!r) return r.error();
    if (r->claimed == 0) break;
    total.claimed += r->claimed;
    total.done += r->done;
    total.retried += r->retried;
    total.dead += r->dead;
    total.lost_lease += r->lost_lease;
  }
  return total;
}

}  // namespace mno::sync
