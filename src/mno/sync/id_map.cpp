// Id map queries; see id_map.hpp.
#include "mno/sync/id_map.hpp"

#include "mno/sync/time_ms.hpp"

namespace mno::sync {
namespace {

using detail::from_ms;
using detail::to_ms;

constexpr const char* kColumns =
    "id, tenant, entity, local_id, connec_id, last_push_at, last_pull_at, remote_updated_at, last_error";

IdMapEntry entry_from(const db::Row& r) {
  IdMapEntry e;
  e.id = r.i64("id");
  e.tenant = r.text("tenant");
  e.entity = r.text("entity");
  e.local_id = r.opt_text("local_id");
  e.connec_id = r.opt_text("connec_id");
  e.last_push_at = from_ms(r.opt_i64("last_push_at"));
  e.last_pull_at = from_ms(r.opt_i64("last_pull_at"));
  e.remote_updated_at = from_ms(r.opt_i64("remote_updated_at"));
  e.last_error = r.opt_text("last_error");
  return e;
}

// No row lock: usable in read transactions; concurrent linkers are kept apart by the unique indexes.
Result<std::optional<IdMapEntry>> find_one(db::Connection& c, std::string_view where, std::vector<db::Value> params) {
  auto r = c.query_one(std::string("SELECT ") + kColumns + " FROM sync_id_map WHERE " + std::string(where), params);
  if (!r) return r.error();
  if (!*r) return std::optional<IdMapEntry>{};
  return std::optional<IdMapEntry>{entry_from(**r)};
}

// Finds or creates the entry linking both ids; returns its row id. Does not touch the timestamps.
Result<int64_t> ensure_link(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                            std::string_view connec_id, TimePoint now) {
  auto by_local = find_by_local_id(c, tenant, entity, local_id);
  if (!by_local) return by_local.error();
  auto by_connec = find_by_connec_id(c, tenant, entity, connec_id);
  if (!by_connec) return by_connec.error();
  if (*by_local && *by_connec) {
    if ((*by_local)->id != (*by_connec)->id)
      return make_error("sync.id_conflict", "local id and Connec! id are each linked to another record");
    return (*by_local)->id;
  }
  if (*by_local) {
    if ((*by_local)->connec_id && *(*by_local)->connec_id != connec_id)
      return make_error("sync.id_conflict", "local record is already linked to another Connec! id");
    auto u = c.execute("UPDATE sync_id_map SET connec_id = $1, updated_at = $2 WHERE id = $3",
                       {connec_id, to_ms(now), (*by_local)->id});
    if (!u) return u.error();
    return (*by_local)->id;
  }
  if (*by_connec) {
    if ((*by_connec)->local_id && *(*by_connec)->local_id != local_id)
      return make_error("sync.id_conflict", "Connec! record is already linked to another local id");
    auto u = c.execute("UPDATE sync_id_map SET local_id = $1, updated_at = $2 WHERE id = $3",
                       {local_id, to_ms(now), (*by_connec)->id});
    if (!u) return u.error();
    return (*by_connec)->id;
  }
  auto ins = c.query(
      "INSERT INTO sync_id_map (tenant, entity, local_id, connec_id, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
      {tenant, entity, local_id, connec_id, to_ms(now)});
  if (!ins) return ins.error();
  return ins->at(0).i64(0);
}

}  // namespace

Result<std::optional<IdMapEntry>> find_by_local_id(db::Connection& c, std::string_view tenant, std::string_view entity,
                                                   std::string_view local_id) {
  return find_one(c, "tenant = $1 AND entity = $2 AND local_id = $3", {tenant, entity, local_id});
}

Result<std::optional<IdMapEntry>> find_by_connec_id(db::Connection& c, std::string_view tenant, std::string_view entity,
                                                    std::string_view connec_id) {
  return find_one(c, "tenant = $1 AND entity = $2 AND connec_id = $3", {tenant, entity, connec_id});
}

Result<std::vector<IdMapEntry>> list_id_map(db::Connection& c, std::string_view tenant) {
  auto r = c.query(std::string("SELECT ") + kColumns + " FROM sync_id_map WHERE tenant = $1 ORDER BY entity, id", {tenant});
  if (!r) return r.error();
  std::vector<IdMapEntry> out;
  for (auto& row : *r) out.push_back(entry_from(row));
  return out;
}

Status link_ids(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                std::string_view connec_id, TimePoint now) {
  auto id = ensure_link(c, tenant, entity, local_id, connec_id, now);
  if (!id) return id.error();
  return {};
}

Status record_push(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                   std::string_view connec_id, TimePoint now) {
  auto id = ensure_link(c, tenant, entity, local_id, connec_id, now);
  if (!id) return id.error();
  auto u = c.execute("UPDATE sync_id_map SET last_push_at = $1, last_error = NULL, updated_at = $1 WHERE id = $2",
                     {to_ms(now), *id});
  if (!u) return u.error();
  return {};
}

Status record_pull(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                   std::string_view connec_id, std::optional<TimePoint> remote_updated_at, TimePoint now) {
  auto id = ensure_link(c, tenant, entity, local_id, connec_id, now);
  if (!id) return id.error();
  // Built one by one: GCC 12 warns (-Wmaybe-uninitialized, falsely) on this initializer list of Values.
  std::vector<db::Value> params;
  params.emplace_back(to_ms(now));
  params.push_back(detail::ms_value(remote_updated_at));
  params.emplace_back(*id);
  auto u = c.execute(
      "UPDATE sync_id_map SET last_pull_at = $1, last_error = NULL, updated_at = $1, "
      "remote_updated_at = CASE WHEN $2 IS NULL THEN remote_updated_at "
      "WHEN remote_updated_at IS NULL OR remote_updated_at < $2 THEN $2 ELSE remote_updated_at END WHERE id = $3",
      params);
  if (!u) return u.error();
  return {};
}

Status record_error(db::Connection& c, std::string_view tenant, std::string_view entity, std::string_view local_id,
                    std::string_view error, TimePoint now) {
  std::string msg = detail::truncate(error, 1000);
  auto u = c.execute(
      "UPDATE sync_id_map SET last_error = $1, updated_at = $2 WHERE tenant = $3 AND entity = $4 AND local_id = $5",
      {msg, to_ms(now), tenant, entity, local_id});
  if (!u) return u.error();
  if (*u > 0) return {};
  auto ins = c.execute(
      "INSERT INTO sync_id_map (tenant, entity, local_id, last_error, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING",
      {tenant, entity, local_id, msg, to_ms(now)});
  if (!ins) return ins.error();
  return {};
}

}  // namespace mno::sync
