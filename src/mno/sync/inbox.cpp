// Inbox rows: deduplicated store, ordered leased claim, fenced outcomes; see inbox.hpp.
#include "mno/sync/inbox.hpp"

#include <cstdio>

#include "mno/sync/claimable_ids.hpp"
#include "mno/sync/time_ms.hpp"

namespace mno::sync {
namespace {

using detail::from_ms;
using detail::to_ms;

constexpr const char* kColumns =
    "id, tenant, group_id, collection, connec_id, dedupe_key, payload, updated_at, state, attempts, next_attempt_at, "
    "lease_owner, last_error, outcome, received_at";

InboxState state_from(const std::string& s) {
  if (s == "applying") return InboxState::applying;
  if (s == "done") return InboxState::done;
  if (s == "dead") return InboxState::dead;
  return InboxState::pending;
}

InboxItem item_from(const db::Row& r) {
  InboxItem i;
  i.id = r.i64("id");
  i.tenant = r.text("tenant");
  i.group_id = r.text("group_id");
  i.collection = r.text("collection");
  i.connec_id = r.text("connec_id");
  i.dedupe_key = r.text("dedupe_key");
  i.record = nlohmann::json::parse(r.text("payload"), nullptr, false);
  i.updated_at = from_ms(r.opt_i64("updated_at"));
  i.state = state_from(r.text("state"));
  i.attempts = static_cast<int>(r.i64("attempts"));
  i.next_attempt_at = from_ms(r.i64("next_attempt_at"));
  i.lease_owner = r.opt_text("lease_owner");
  i.last_error = r.opt_text("last_error");
  i.outcome = r.opt_text("outcome");
  i.received_at = from_ms(r.i64("received_at"));
  return i;
}

// A stable (across builds and processes) 64-bit hash of the record: FNV-1a over the canonical dump, which
// nlohmann produces with sorted keys.
std::string fnv1a64_hex(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

constexpr const char* kFence = " WHERE id = $1 AND state = 'applying' AND lease_owner = $2 AND attempts = $3";

}  // namespace

std::string_view to_string(InboxState s) {
  switch (s) {
    case InboxState::pending: return "pending";
    case InboxState::applying: return "applying";
    case InboxState::done: return "done";
    case InboxState::dead: return "dead";
  }
  return "pending";
}

std::string inbox_dedupe_key(const connec::NotificationEntity& e) {
  return e.updated_at + ":" + fnv1a64_hex(e.entity.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Result<StoreReport> store_inbox(db::Database& db, const std::vector<InboxEntry>& entries, TimePoint now) {
  return db.transact([&](db::Connection& c) { return store_inbox(c, entries, now); });
}

Result<StoreReport> store_inbox(db::Connection& c, const std::vector<InboxEntry>& entries, TimePoint now) {
  StoreReport rep;
  for (const auto& en : entries) {
    const auto& e = en.entity;
    if (en.tenant.empty() || e.collection.empty() || e.connec_id.empty())
      return make_error("sync.invalid", "inbox entry needs tenant, collection and Connec! id");
    // One dump serves as payload and as the hashed part of the dedupe key (the same text inbox_dedupe_key hashes).
    std::string payload = e.entity.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string key = e.updated_at + ":" + fnv1a64_hex(payload);
    auto r = c.execute(
        "INSERT INTO sync_inbox (tenant, group_id, collection, connec_id, dedupe_key, payload, updated_at, state, "
        "attempts, next_attempt_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8) "
        "ON CONFLICT (tenant, collection, connec_id, dedupe_key) DO NOTHING",
        {en.tenant, e.group_id, e.collection, e.connec_id, std::move(key), std::move(payload),
         detail::ms_value(e.updated_at_time), to_ms(now)});
    if (!r) return r.error();
    if (*r == 1) ++rep.stored;
    else ++rep.duplicates;
  }
  return rep;
}

Result<std::vector<InboxItem>> claim_inbox(db::Database& db, const InboxClaimOptions& options, TimePoint now) {
  if (options.owner.empty()) return make_error("sync.invalid", "claim needs an owner id");
  const int64_t now_ms = to_ms(now);
  const int64_t lease_until = now_ms + options.lease.count();
  return db.transact([&](db::Connection& c) -> Result<std::vector<InboxItem>> {
    auto ids = detail::claimable_ids(c, "sync_inbox", "applying",
                                     "p.collection = o.collection AND p.connec_id = o.connec_id", now_ms, options.limit);
    if (!ids) return ids.error();
    std::vector<InboxItem> out;
    for (int64_t id : *ids) {
      auto claimed = c.query(
          "UPDATE sync_inbox SET state = 'applying', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1 "
          "WHERE id = $3 AND (state = 'pending' OR (state = 'applying' AND lease_expires_at < $4)) RETURNING " +
              std::string(kColumns),
          {options.owner, lease_until, id, now_ms});
      if (!claimed) return claimed.error();
      if (!claimed->empty()) out.push_back(item_from(claimed->front()));
    }
    return out;
  });
}

Result<bool> mark_inbox_done(db::Connection& c, const InboxItem& item, std::string_view outcome, TimePoint now) {
  auto u = c.execute(std::string("UPDATE sync_inbox SET state = 'done', outcome = $4, lease_owner = NULL, "
                                 "lease_expires_at = NULL, last_error = NULL, finished_at = $5") + kFence,
                     {item.id, item.lease_owner.value_or(""), item.attempts, outcome, to_ms(now)});
  if (!u) return u.error();
  return *u == 1;
}

Result<bool> mark_inbox_retry(db::Connection& c, const InboxItem& item, TimePoint next_attempt_at, std::string_view error,
                              TimePoint) {
  auto u = c.execute(std::string("UPDATE sync_inbox SET state = 'pending', next_attempt_at = $4, lease_owner = NULL, "
                                 "lease_expires_at = NULL, last_error = $5") + kFence,
                     {item.id, item.lease_owner.value_or(""), item.attempts, to_ms(next_attempt_at),
                      detail::truncate(error, 1000)});
  if (!u) return u.error();
  return *u == 1;
}

Result<bool> mark_inbox_dead(db::Connection& c, const InboxItem& item, std::string_view error, TimePoint now) {
  auto u = c.execute(std::string("UPDATE sync_inbox SET state = 'dead', lease_owner = NULL, lease_expires_at = NULL, "
                                 "last_error = $4, finished_at = $5") + kFence,
                     {item.id, item.lease_owner.value_or(""), item.attempts, detail::truncate(error, 1000), to_ms(now)});
  if (!u) return u.error();
  return *u == 1;
}

Result<bool> retry_inbox_now(db::Database& db, std::string_view tenant, int64_t id, TimePoint now) {
  auto u = db.execute(
      "UPDATE sync_inbox SET state = 'pending', attempts = 0, next_attempt_at = $1, lease_owner = NULL, "
      "lease_expires_at = NULL, finished_at = NULL WHERE id = $2 AND tenant = $3 AND state IN ('dead', 'pending')",
      {to_ms(now), id, tenant});
  if (!u) return u.error();
  return *u == 1;
}

Result<InboxCounts> count_inbox(db::Database& db, std::optional<std::string> tenant) {
  auto r = tenant ? db.query("SELECT state, COUNT(*) FROM sync_inbox WHERE tenant = $1 GROUP BY state", {*tenant})
                  : db.query("SELECT state, COUNT(*) FROM sync_inbox GROUP BY state");
  if (!r) return r.error();
  InboxCounts c;
  for (auto& row : *r) {
    auto s = state_from(row.text(0));
    int64_t n = row.i64(1);
    if (s == InboxState::pending) c.pending = n;
    else if (s == InboxState::applying) c.applying = n;
    else if (s == InboxState::done) c.done = n;
    else c.dead = n;
  }
  return c;
}

}  // namespace mno::sync
