// See claimable_ids.hpp. Pending rows and expired leases are two queries rather than one with OR: each then
// walks the (state, id) index in id order and stops at the limit, where the OR form sorted every pending row on
// each claim (a backlog of n rows cost n^2 / limit to drain). `+next_attempt_at` keeps the planner on that index
// (a unary plus is no index term in SQLite and a no-op in PostgreSQL); backed-off rows are skipped on the walk.
#include "mno/sync/claimable_ids.hpp"

#include <algorithm>
#include <string>

namespace mno::sync::detail {

Result<std::vector<int64_t>> claimable_ids(db::Connection& c, std::string_view table, std::string_view in_flight_state,
                                           std::string_view same_record, int64_t now_ms, int limit) {
  const std::string t(table), busy(in_flight_state);
  const std::string older_unfinished = " AND NOT EXISTS (SELECT 1 FROM " + t + " p WHERE p.tenant = o.tenant AND " +
                                       std::string(same_record) + " AND p.id < o.id AND p.state IN ('pending', '" +
                                       busy + "'))";
  const std::string tail = " ORDER BY o.id LIMIT $2" + std::string(db::skip_locked(c.dialect()));
  std::vector<int64_t> ids;
  for (const std::string& due : {std::string("o.state = 'pending' AND +o.next_attempt_at <= $1"),
                                 "o.state = '" + busy + "' AND +o.lease_expires_at < $1"}) {
    auto rows = c.query("SELECT o.id FROM " + t + " o WHERE " + due + older_unfinished + tail, {now_ms, limit});
    if (!rows) return rows.error();
    for (const auto& r : *rows) ids.push_back(r.i64(0));
  }
  std::sort(ids.begin(), ids.end());
  if (ids.size() > static_cast<size_t>(limit)) ids.resize(static_cast<size_t>(limit));
  return ids;
}

}  // namespace mno::sync::detail
