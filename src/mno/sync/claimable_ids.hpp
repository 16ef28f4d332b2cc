// Internal: the ids a leased claim may take from a sync queue table (sync_outbox, sync_inbox), shared by both
// queues so that they claim the same way: due pending rows and rows whose lease expired, oldest first, only
// the oldest unfinished row of each record (one in flight per record), at most `limit`, skipping rows another
// PostgreSQL transaction has locked.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"

namespace mno::sync::detail {

// same_record: the SQL condition that row p is of the same record as row o (tenant is always compared).
// in_flight_state: the table's leased state ("sending", "applying").
Result<std::vector<int64_t>> claimable_ids(db::Connection& c, std::string_view table, std::string_view in_flight_state,
                                           std::string_view same_record, int64_t now_ms, int limit);

}  // namespace mno::sync::detail
