// Inbox (Connec! -> app): notification entities are persisted deduplicated before the webhook is acknowledged,
// then applied by a worker (inbox_worker.hpp) in order per record. The unique key (tenant, collection, connec_id,
// dedupe_key), dedupe_key = updated_at + ":" + a hash of the record, makes a redelivered notification a no-op
// while two different changes in the same second are both kept.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/connec/notification.hpp"
#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::sync {

enum class InboxState { pending, applying, done, dead };
std::string_view to_string(InboxState s);

struct InboxEntry {
  std::string tenant;                   // the app's tenant key the group id maps to
  connec::NotificationEntity entity;
};

struct InboxItem {
  int64_t id = 0;
  std::string tenant;
  std::string group_id;
  std::string collection;
  std::string connec_id;
  std::string dedupe_key;
  nlohmann::json record;
  std::optional<TimePoint> updated_at;
  InboxState state = InboxState::pending;
  int attempts = 0;
  TimePoint next_attempt_at;
  std::optional<std::string> lease_owner;
  std::optional<std::string> last_error;
  std::optional<std::string> outcome;   // "applied", "stale", "echo", ... once done
  TimePoint received_at;
};

struct StoreReport {
  size_t stored = 0;      // new rows
  size_t duplicates = 0;  // already present (redelivery)
};

// "updated_at:fnv1a64(record dump)" as stored in dedupe_key.
std::string inbox_dedupe_key(const connec::NotificationEntity& entity);

// All entries in one write transaction (all or nothing): acknowledge the webhook only after this returned ok.
Result<StoreReport> store_inbox(db::Database& db, const std::vector<InboxEntry>& entries, TimePoint now);
// The same inside the caller's write transaction (the importer stores a page together with its cursor).
Result<StoreReport> store_inbox(db::Connection& c, const std::vector<InboxEntry>& entries, TimePoint now);

struct InboxClaimOptions {
  std::string owner;
  std::chrono::milliseconds lease{60000};
  int limit = 100;
};

// Due rows, at most one per record and only the oldest unfinished one of each record (order per record), claimed
// like the outbox (lease, SKIP LOCKED on PostgreSQL).
Result<std::vector<InboxItem>> claim_inbox(db::Database& db, const InboxClaimOptions& options, TimePoint now);

// Fenced outcome updates inside the caller's transaction; false when the row is no longer ours.
Result<bool> mark_inbox_done(db::Connection& c, const InboxItem& item, std::string_view outcome, TimePoint now);
Result<bool> mark_inbox_retry(db::Connection& c, const InboxItem& item, TimePoint next_attempt_at, std::string_view error,
                              TimePoint now);
Result<bool> mark_inbox_dead(db::Connection& c, const InboxItem& item, std::string_view error, TimePoint now);

// Operator replay of a dead (or waiting) row: back to pending, due now, attempts reset. false when no such row of
// the tenant.
Result<bool> retry_inbox_now(db::Database& db, std::string_view tenant, int64_t id, TimePoint now);

struct InboxCounts {
  int64_t pending = 0, applying = 0, done = 0, dead = 0;
};
Result<InboxCounts> count_inbox(db::Database& db, std::optional<std::string> tenant = std::nullopt);

}  // namespace mno::sync
