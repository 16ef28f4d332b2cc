// Outbox rows: enqueue with coalescing, leased claim, fenced outcomes; see outbox.hpp.
#include "mno/sync/outbox.hpp"

#include "mno/sync/claimable_ids.hpp"
#include "mno/sync/time_ms.hpp"

namespace mno::sync {
namespace {

using detail::from_ms;
using detail::to_ms;

constexpr size_t kResponseKept = 4000;
constexpr const char* kColumns =
    "id, tenant, entity, local_id, operation, payload, version, state, attempts, next_attempt_at, lease_owner, "
    "lease_expires_at, last_error, last_status, last_response, connec_id, coalesced, created_at";

OutboxState state_from(const std::string& s) {
  if (s == "sending") return OutboxState::sending;
  if (s == "done") return OutboxState::done;
  if (s == "dead") return OutboxState::dead;
  return OutboxState::pending;
}

OutboxItem item_from(const db::Row& r) {
  OutboxItem i;
  i.id = r.i64("id");
  i.tenant = r.text("tenant");
  i.entity = r.text("entity");
  i.local_id = r.text("local_id");
  i.operation = r.text("operation");
  i.payload = r.text("payload");
  i.version = r.i64("version");
  i.state = state_from(r.text("state"));
  i.attempts = static_cast<int>(r.i64("attempts"));
  i.next_attempt_at = from_ms(r.i64("next_attempt_at"));
  i.lease_owner = r.opt_text("lease_owner");
  i.lease_expires_at = from_ms(r.opt_i64("lease_expires_at"));
  i.last_error = r.opt_text("last_error");
  if (auto s = r.opt_i64("last_status")) i.last_status = static_cast<int>(*s);
  i.last_response = r.opt_text("last_response");
  i.connec_id = r.opt_text("connec_id");
  i.coalesced = static_cast<int>(r.i64("coalesced"));
  i.created_at = from_ms(r.i64("created_at"));
  return i;
}

std::string merged_operation(const std::string& a, const std::string& b) {
  return (a == "create" || b == "create") ? "create" : b;
}

// The fencing condition: still ours, same attempt, still in flight.
constexpr const char* kFence = " WHERE id = $1 AND state = 'sending' AND lease_owner = $2 AND attempts = $3";

}  // namespace

std::string_view to_string(OutboxState s) {
  switch (s) {
    case OutboxState::pending: return "pending";
    case OutboxState::sending: return "sending";
    case OutboxState::done: return "done";
    case OutboxState::dead: return "dead";
  }
  return "pending";
}

Result<std::optional<int64_t>> enqueue(db::Connection& c, const OutboxChange& change, TimePoint now) {
  if (change.origin == Origin::connec) return std::optional<int64_t>{};  // echo avoidance (connec.md 4.8)
  if (change.tenant.empty() || change.entity.empty() || change.local_id.empty())
    return make_error("sync.invalid", "outbox change needs tenant, entity and local id");
  std::string op = change.operation.empty() ? "update" : change.operation;
  auto pending = c.query_one(
      "SELECT id, operation, version FROM sync_outbox WHERE tenant = $1 AND entity = $2 AND local_id = $3 "
      "AND state = 'pending' ORDER BY id DESC LIMIT 1" + std::string(db::for_update(c.dialect())),
      {change.tenant, change.entity, change.local_id});
  if (!pending) return pending.error();
  if (*pending) {
    const auto& row = **pending;
    int64_t id = row.i64("id");
    auto u = c.execute(
        "UPDATE sync_outbox SET payload = $1, version = $2, operation = $3, coalesced = coalesced + 1, updated_at = $4 "
        "WHERE id = $5",
        {change.payload, std::max(row.i64("version"), change.version), merged_operation(row.text("operation"), op),
         to_ms(now), id});
    if (!u) return u.error();
    return std::optional<int64_t>{id};
  }
  auto ins = c.query(
      "INSERT INTO sync_outbox (tenant, entity, local_id, operation, payload, version, state, attempts, "
      "next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $7) RETURNING id",
      {change.tenant, change.entity, change.local_id, op, change.payload, change.version, to_ms(now)});
  if (!ins) return ins.error();
  return std::optional<int64_t>{ins->at(0).i64(0)};
}

Result<std::vector<OutboxItem>> claim(db::Database& db, const ClaimOptions& options, TimePoint now) {
  if (options.owner.empty()) return make_error("sync.invalid", "claim needs an owner id");
  const int64_t now_ms = to_ms(now);
  const int64_t lease_until = now_ms + options.lease.count();
  return db.transact([&](db::Connection& c) -> Result<std::vector<OutboxItem>> {
    // Due rows whose record has no older unfinished row: one in flight per record, in id order.
    auto ids = detail::claimable_ids(c, "sync_outbox", "sending", "p.entity = o.entity AND p.local_id = o.local_id",
                                     now_ms, options.limit);
    if (!ids) return ids.error();
    std::vector<OutboxItem> out;
    for (int64_t id : *ids) {
      auto claimed = c.query(
          "UPDATE sync_outbox SET state = 'sending', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1, "
          "updated_at = $3 WHERE id = $4 AND (state = 'pending' OR (state = 'sending' AND lease_expires_at < $3)) "
          "RETURNING " + std::string(kColumns),
          {options.owner, lease_until, now_ms, id});
      if (!claimed) return claimed.error();
      if (claimed->empty()) continue;
      OutboxItem item = item_from(claimed->front());
      // Coalesce later pending changes of the same record (rows that raced past enqueue's coalescing).
      auto later = c.query(
          "SELECT id, operation, payload, version FROM sync_outbox WHERE tenant = $1 AND entity = $2 AND local_id = $3 "
          "AND state = 'pending' AND id > $4 ORDER BY id" + std::string(db::for_update(c.dialect())),
          {item.tenant, item.entity, item.local_id, item.id});
      if (!later) return later.error();
      if (!later->empty()) {
        for (const auto& l : *later) {
          item.operation = merged_operation(item.operation, l.text("operation"));
          item.payload = l.text("payload");
          item.version = std::max(item.version, l.i64("version"));
          ++item.coalesced;
          auto d = c.execute(
              "UPDATE sync_outbox SET state = 'done', last_error = $1, updated_at = $2 WHERE id = $3",
              {"coalesced into " + std::to_string(item.id), now_ms, l.i64("id")});
          if (!d) return d.error();
        }
        auto u = c.execute(
            "UPDATE sync_outbox SET operation = $1, payload = $2, version = $3, coalesced = $4 WHERE id = $5",
            {item.operation, item.payload, item.version, item.coalesced, item.id});
        if (!u) return u.error();
      }
      out.push_back(std::move(item));
    }
    return out;
  });
}

Result<bool> mark_done(db::Connection& c, const OutboxItem& item, std::string_view connec_id, TimePoint now) {
  auto u = c.execute(
      std::string("UPDATE sync_outbox SET state = 'done', connec_id = $4, lease_owner = NULL, lease_expires_at = NULL, "
                  "last_error = NULL, updated_at = $5") + kFence,
      {item.id, item.lease_owner.value_or(""), item.attempts, connec_id, to_ms(now)});
  if (!u) return u.error();
  return *u == 1;
}

Result<bool> mark_retry(db::Connection& c, const OutboxItem& item, TimePoint next_attempt_at, std::string_view error,
                        std::optional<int> status, std::string_view response, TimePoint now) {
  auto u = c.execute(
      std::string("UPDATE sync_outbox SET state = 'pending', next_attempt_at = $4, lease_owner = NULL, "
                  "lease_expires_at = NULL, last_error = $5, last_status = $6, last_response = $7, updated_at = $8") + kFence,
      {item.id, item.lease_owner.value_or(""), item.attempts, to_ms(next_attempt_at), detail::truncate(error, 1000),
       status, detail::truncate(response, kResponseKept), to_ms(now)});
  if (!u) return u.error();
  return *u == 1;
}

Result<bool> mark_dead(db::Connection& c, const OutboxItem& item, std::string_view error, std::optional<int> status,
                       std::string_view response, TimePoint now) {
  auto u = c.execute(
      std::string("UPDATE sync_outbox SET state = 'dead', lease_owner = NULL, lease_expires_at = NULL, "
                  "last_error = $4, last_status = $5, last_response = $6, updated_at = $7") + kFence,
      {item.id, item.lease_owner.value_or(""), item.attempts, detail::truncate(error, 1000), status,
       detail::truncate(response, kResponseKept), to_ms(now)});
  if (!u) return u.error();
  return *u == 1;
}

Result<bool> retry_now(db::Database& db, std::string_view tenant, int64_t id, TimePoint now) {
  auto u = db.execute(
      "UPDATE sync_outbox SET state = 'pending', attempts = 0, next_attempt_at = $1, lease_owner = NULL, "
      "lease_expires_at = NULL, updated_at = $1 WHERE id = $2 AND tenant = $3 AND state IN ('dead', 'pending')",
      {to_ms(now), id, tenant});
  if (!u) return u.error();
  return *u == 1;
}

Result<std::vector<OutboxItem>> list_outbox(db::Database& db, const OutboxFilter& filter) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM sync_outbox WHERE 1 = 1";
  std::vector<db::Value> params;
  if (filter.tenant) {
    params.emplace_back(*filter.tenant);
    sql += " AND tenant = $" + std::to_string(params.size());
  }
  if (!filter.states.empty()) {
    sql += " AND state IN (";
    for (size_t i = 0; i < filter.states.size(); ++i) {
      params.emplace_back(std::string(to_string(filter.states[i])));
      sql += (i ? ", $" : "$") + std::to_string(params.size());
    }
    sql += ")";
  }
  params.emplace_back(filter.limit);
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  auto r = db.query(sql, params);
  if (!r) return r.error();
  std::vector<OutboxItem> out;
  for (auto& row : *r) out.push_back(item_from(row));
  return out;
}

Result<OutboxCounts> count_outbox(db::Database& db, std::optional<std::string> tenant) {
  auto r = tenant ? db.query("SELECT state, COUNT(*) FROM sync_outbox WHERE tenant = $1 GROUP BY state", {*tenant})
                  : db.query("SELECT state, COUNT(*) FROM sync_outbox GROUP BY state");
  if (!r) return r.error();
  OutboxCounts c;
  for (auto& row : *r) {
    auto s = state_from(row.text(0));
    int64_t n = row.i64(1);
    if (s == OutboxState::pending) c.pending = n;
    else if (s == OutboxState::sending) c.sending = n;
    else if (s == OutboxState::done) c.done = n;
    else c.dead = n;
  }
  return c;
}

}  // namespace mno::sync
