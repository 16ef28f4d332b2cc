// One company's data-sharing status, read by both the data-sharing page and `tally sync status`, so the two
// always show the same thing: the latest initial import with progress per collection, the outbox and inbox
// counts, and the records needing attention (changes waiting to be retried, dead-lettered ones) with their
// reason. Also the operator actions both offer: retry a dead-lettered row, retry a failed import.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/sync/importer.hpp"
#include "mno/sync/inbox.hpp"
#include "mno/sync/outbox.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace tally::sync {

enum class SyncQueue { outbox, inbox };
std::string_view to_string(SyncQueue q);
std::optional<SyncQueue> parse_sync_queue(std::string_view s);

// A row of the outbox or inbox that needs attention.
struct SyncProblem {
  SyncQueue queue = SyncQueue::outbox;
  int64_t id = 0;
  std::string kind;           // outbox: the entity ("customers"); inbox: the collection ("organizations")
  std::string record;         // outbox: local id; inbox: Connec! id
  std::string state;          // "dead", "retrying" (failed, due again at next_attempt_at) or "pending" (not done yet)
  int attempts = 0;
  std::string reason;         // last error, "code: message"
  mno::TimePoint since;       // outbox: created_at; inbox: received_at
  std::optional<mno::TimePoint> next_attempt_at;  // pending rows
};

struct SyncStatus {
  std::string tenant;
  std::optional<mno::sync::ImportRun> import;
  mno::sync::OutboxCounts outbox;
  mno::sync::InboxCounts inbox;
  std::vector<SyncProblem> problems;  // dead, then retrying, then pending; newest first within each
};

// limit bounds each state's part of the problem list.
mno::Result<SyncStatus> load_sync_status(mno::db::Database& db, std::string_view tenant, int limit = 50);
// Tenants with any sync activity (import, outbox or inbox rows), in numeric order.
mno::Result<std::vector<std::string>> list_sync_tenants(mno::db::Database& db);

// Puts one dead (or waiting) row of the tenant back to pending, due now. false when no such row of this tenant.
mno::Result<bool> retry_sync_row(mno::db::Database& db, std::string_view tenant, SyncQueue queue, int64_t id,
                                 mno::TimePoint now);

// The text `tally sync status` prints (one block per tenant).
std::string format_sync_status(const SyncStatus& status, mno::TimePoint now);

}  // namespace tally::sync
