// Outbox dispatcher; see dispatcher.hpp. Claim (short transaction) -> build and send (no transaction open) ->
// record each outcome in its own transaction fenced by the lease, so a crash at any point leaves the row either
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
      for (size_t i = start; i < end; ++i) {
        Status s;
        if (!results) {
          // A bad or lost batch reply leaves every op's outcome unknown: retry them (as upserts).
          Error e = results.error();
          if (e.code == "connec.bad_response") e.code = "connec.ambiguous";
          s = fail(ready[i].item, e, rep);
        } else {
          const auto& r = (*results)[i - start];
          s = r.error ? fail(ready[i].item, *r.error, rep) : finish(ready[i].item, r.connec_id, rep);
        }
        if (!s) return s;
      }
    }
    return {};
  }

  Status finish(const OutboxItem& item, const std::string& connec_id, DispatchReport& rep) {
    const TimePoint now = clock_.now();
    auto r = db_->transact([&](db::Connection& c) -> Result<bool> {
      auto ours = mark_done(c, item, connec_id, now);
      if (!ours || !*ours) return ours;
      if (!connec_id.empty()) {
        if (auto s = record_push(c, item.tenant, item.entity, item.local_id, connec_id, now); !s) return s.error();
      }
      return true;
    });
    if (!r && r.error().code == "sync.id_conflict") return dead(item, r.error(), rep);
    if (!r) return r.error();
    if (*r) {
      ++rep.done;
    } else {
      ++rep.lost_lease;
      log::warn("sync.outbox.lease_lost", {{"outbox_id", std::to_string(item.id)}, {"worker", options_.worker_id}});
    }
    return {};
  }

  Status fail(const OutboxItem& item, const Error& error, DispatchReport& rep) {
    const TimePoint now = clock_.now();
    bool retry = (connec::is_retryable(error) || error.code == "sync.waiting" || error.code == "sync.unknown_tenant") &&
                 item.attempts < options_.max_attempts && now - item.created_at < options_.max_age;
    if (!retry) return dead(item, error, rep);
    std::optional<std::chrono::milliseconds> ra;
    if (auto s = connec::retry_after(error)) ra = std::chrono::duration_cast<std::chrono::milliseconds>(*s);
    auto next = now + backoff_delay(options_.backoff, item.attempts, random_, ra);
    int status = connec::error_status(error);
    auto r = db_->transact([&](db::Connection& c) -> Result<bool> {
      auto ours = mark_retry(c, item, next, describe(error), status ? std::optional<int>(status) : std::nullopt,
                             body_of(error), now);
      if (!ours || !*ours) return ours;
      if (auto s = record_error(c, item.tenant, item.entity, item.local_id, describe(error), now); !s) return s.error();
      return true;
    });
    if (!r) return r.error();
    if (*r) ++rep.retried;
    else ++rep.lost_lease;
    log::info("sync.outbox.retry", {{"outbox_id", std::to_string(item.id)}, {"error", error.code},
                                    {"attempt", std::to_string(item.attempts)}});
    return {};
  }

  Status dead(const OutboxItem& item, const Error& error, DispatchReport& rep) {
    const TimePoint now = clock_.now();
    int status = connec::error_status(error);
    auto r = db_->transact([&](db::Connection& c) -> Result<bool> {
      auto ours = mark_dead(c, item, describe(error), status ? std::optional<int>(status) : std::nullopt,
                            body_of(error), now);
      if (!ours || !*ours) return ours;
      if (auto s = record_error(c, item.tenant, item.entity, item.local_id, describe(error), now); !s) return s.error();
      return true;
    });
    if (!r) return r.error();
    if (*r) ++rep.dead;
    else ++rep.lost_lease;
    log::warn("sync.outbox.dead", {{"outbox_id", std::to_string(item.id)}, {"tenant", item.tenant},
                                   {"entity", item.entity}, {"error", error.code}});
    return {};
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
