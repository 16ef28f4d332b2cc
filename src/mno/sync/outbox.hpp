// Outbox (app -> Connec!, security.md 4): the app writes a row in the same transaction as the local change
// (enqueue); dispatchers claim due rows with a lease, send them outside any transaction, then record the outcome
// in a new transaction fenced by (lease_owner, attempts) so a worker whose lease expired cannot overwrite a newer
// attempt. Per record (tenant, entity, local_id) at most one row is in flight and rows go out in id order; several
// pending changes of one record are coalesced into one send (at enqueue, and again at claim for rows that raced).
// Echo avoidance (connec.md 4.8): a change whose origin is Origin::connec (written by the inbox worker) is never
// enqueued.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::sync {

// Who made a local change: the app's users/API (goes to Connec!) or the sync engine applying Connec! data (must not).
enum class Origin { local, connec };

enum class OutboxState { pending, sending, done, dead };
std::string_view to_string(OutboxState s);

struct OutboxChange {
  std::string tenant;
  std::string entity;          // the app's entity type, as the adapter names it
  std::string local_id;
  std::string operation;       // "create" | "update" (sent as an upsert either way)
  std::string payload;         // optional snapshot (JSON text) for the adapter; "" = adapter loads the current record
  int64_t version = 0;         // the record's version at the change (coalescing keeps the highest)
  Origin origin = Origin::local;
};

struct OutboxItem {
  int64_t id = 0;
  std::string tenant;
  std::string entity;
  std::string local_id;
  std::string operation;
  std::string payload;
  int64_t version = 0;
  OutboxState state = OutboxState::pending;
  int attempts = 0;                        // sends started (incremented at claim); the fencing token
  TimePoint next_attempt_at;
  std::optional<std::string> lease_owner;
  std::optional<TimePoint> lease_expires_at;
  std::optional<std::string> last_error;   // "code: message"
  std::optional<int> last_status;          // HTTP status of the last failure
  std::optional<std::string> last_response;  // response body kept on failure (truncated to 4000 bytes)
  std::optional<std::string> connec_id;    // set when done
  TimePoint created_at;
  int coalesced = 0;                       // how many later changes were merged into this row
};

// Inside the caller's write transaction. Returns the outbox row id, or nullopt when nothing was enqueued
// (origin == Origin::connec). A pending row of the same record absorbs the change (payload replaced, highest
// version kept, "create" wins over "update").
Result<std::optional<int64_t>> enqueue(db::Connection& c, const OutboxChange& change, TimePoint now);

struct ClaimOptions {
  std::string owner;                              // worker id, unique per process/thread
  std::chrono::milliseconds lease{60000};
  int limit = 50;
};

// Claims up to limit due rows (pending with next_attempt_at <= now, or sending with an expired lease) in one short
// write transaction (FOR UPDATE SKIP LOCKED on PostgreSQL): state = sending, lease set, attempts + 1. Each row goes
// to exactly one concurrent claimer.
Result<std::vector<OutboxItem>> claim(db::Database& db, const ClaimOptions& options, TimePoint now);

// Fenced outcome updates (inside the caller's transaction). They return false when the row is no longer ours
// (lease expired and another worker claimed it, or it was already finished): the caller then changes nothing else.
Result<bool> mark_done(db::Connection& c, const OutboxItem& item, std::string_view connec_id, TimePoint now);
Result<bool> mark_retry(db::Connection& c, const OutboxItem& item, TimePoint next_attempt_at, std::string_view error,
                        std::optional<int> status, std::string_view response, TimePoint now);
Result<bool> mark_dead(db::Connection& c, const OutboxItem& item, std::string_view error, std::optional<int> status,
                       std::string_view response, TimePoint now);

// Operator replay of a dead (or pending) row: back to pending, due now, attempts reset. false when no such row.
Result<bool> retry_now(db::Database& db, std::string_view tenant, int64_t id, TimePoint now);

struct OutboxFilter {
  std::optional<std::string> tenant;
  std::vector<OutboxState> states;   // empty = all
  int limit = 100;
};
Result<std::vector<OutboxItem>> list_outbox(db::Database& db, const OutboxFilter& filter);

struct OutboxCounts {
  int64_t pending = 0, sending = 0, done = 0, dead = 0;
};
Result<OutboxCounts> count_outbox(db::Database& db, std::optional<std::string> tenant = std::nullopt);

}  // namespace mno::sync
