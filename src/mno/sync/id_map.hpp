// Id map: one row per (tenant, entity, local record) <-> Connec! record, with unique keys on both sides
// (tenant, entity, local_id) and (tenant, entity, connec_id), so concurrent workers cannot create two entries
// for one record (connec.md 6, the framework's non-unique indexes). Functions take a db::Connection so they
// compose into the caller's transaction (a dispatcher's "done", an inbox worker's apply).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::sync {

struct IdMapEntry {
  int64_t id = 0;
  std::string tenant;
  std::string entity;                          // the app's entity type ("customers", "contacts", ...)
  std::optional<std::string> local_id;
  std::optional<std::string> connec_id;
  std::optional<TimePoint> last_push_at;       // when our last push of this record succeeded (our clock)
  std::optional<TimePoint> last_pull_at;       // when we last applied an inbound change (our clock)
  std::optional<TimePoint> remote_updated_at;  // Connec!'s updated_at of the newest inbound change applied
  std::optional<std::string> last_error;
};

Result<std::optional<IdMapEntry>> find_by_local_id(db::Connection& c, std::string_view tenant, std::string_view entity,
                                                   std::string_view local_id);
Result<std::optional<IdMapEntry>> find_by_connec_id(db::Connection& c, std::string_view tenant, std::string_view entity,
                                                    std::string_view connec_id);
// Every entry of a tenant (status pages, tests), ordered by entity then id.
Result<std::vector<IdMapEntry>> list_id_map(db::Connection& c, std::string_view tenant);

// Links local_id <-> connec_id (creating the entry or completing it). sync.id_conflict when either id is already
// linked to a different counterpart (the caller decides; nothing is overwritten).
Status link_ids(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                std::string_view connec_id, TimePoint now);
// A successful push: links the ids, sets last_push_at = now, clears last_error.
Status record_push(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                   std::string_view connec_id, TimePoint now);
// An applied inbound change: links the ids, sets last_pull_at = now and remote_updated_at, clears last_error.
Status record_pull(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                   std::string_view connec_id, std::optional<TimePoint> remote_updated_at, TimePoint now);
// Records a failure for the local record (creating an entry without connec_id when none exists). Truncated to 1000 bytes.
Status record_error(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                    std::string_view error, TimePoint now);

}  // namespace mno::sync
