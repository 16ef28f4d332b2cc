// See connec_store.hpp. A record row holds the app-visible fields as JSON ("data", with "id" = the
// external id entries only); the Connec! id, code and times are columns so lists can page and filter
// on updated_at/created_at in SQL. External ids are also rows of connec_external_ids, the id map that
// upserts and reference fields resolve through (its primary key makes "one record per external id"
// hold even under concurrent POSTs).
#include "sandbox/connec_store.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "mno/util/iso8601.hpp"
#include "sandbox/connec_query.hpp"
#include "sandbox/connec_record.hpp"

namespace sandbox {
namespace {

using nlohmann::json;
using mno::db::Connection;
using mno::db::Value;

constexpr const char* kColumns = "id, seq, code, data, created_ms, updated_ms";

mno::Error not_found(const std::string& collection, const std::string& id) {
  return mno::make_error("connec.not_found", "no " + collection + " record with id '" + id + "'");
}
mno::Error invalid(const std::string& message) { return mno::make_error("connec.invalid", message); }
mno::Error conflict(const std::string& message) { return mno::make_error("connec.conflict", message); }

int64_t ms_of(mno::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
std::string iso_of_ms(int64_t ms) {
  return mno::format_iso8601(mno::TimePoint{std::chrono::milliseconds{ms - (((ms % 1000) + 1000) % 1000)}});
}

std::string code_prefix(const std::string& collection) {
  std::string p = collection.substr(0, 2);
  for (auto& c : p) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return p;
}

struct Row {
  std::string id;
  int64_t seq = 0;
  std::string code;
  json data;
  int64_t created_ms = 0, updated_ms = 0;
};

Row row_from(const mno::db::Row& r) {
  Row x;
  x.id = r.text(0);
  x.seq = r.i64(1);
  x.code = r.text(2);
  x.data = json::parse(r.text(3), nullptr, false);
  if (!x.data.is_object()) x.data = json::object();
  x.created_ms = r.i64(4);
  x.updated_ms = r.i64(5);
  return x;
}

// The record with server fields and the "connec" id entry, references not expanded (filters/sorting).
json light_render(const Row& r, const ConnecGroup& g, const std::string& collection) {
  json out = r.data;
  json ids = json::array({connec_id_json({r.id, "connec", g.channel})});
  if (r.data.contains("id") && r.data["id"].is_array())
    for (const auto& e : r.data["id"]) ids.push_back(e);
  out["id"] = ids;
  if (!out.contains("code") || out["code"].is_null()) out["code"] = r.code;
  out["created_at"] = iso_of_ms(r.created_ms);
  out["updated_at"] = iso_of_ms(r.updated_ms);
  out["group_id"] = g.uid;
  out["channel_id"] = g.channel;
  out["resource_type"] = collection;
  return out;
}

// Expands every resolved reference (an array holding a "connec" entry) with the referenced record's
// external ids, one query for the whole page.
mno::Status expand_references(Connection& c, const ConnecGroup& g, std::vector<json>& records) {
  std::set<std::string> wanted;
  for (auto& r : records)
    for_each_reference(r, [&](const std::string&, json& ids) {
      for (const auto& e : connec_id_entries(ids))
        if (e.provider == "connec") wanted.insert(e.id);
    });
  if (wanted.empty()) return {};
  std::map<std::string, std::vector<ConnecIdEntry>> ext;
  std::vector<std::string> all(wanted.begin(), wanted.end());
  for (size_t b = 0; b < all.size(); b += 200) {
    std::string sql = "SELECT connec_id, provider, realm, ext_id FROM connec_external_ids WHERE grp = $1 AND connec_id IN (";
    std::vector<Value> params{g.uid};
    for (size_t i = b; i < std::min(all.size(), b + 200); ++i) {
      sql += (i == b ? "$" : ", $") + std::to_string(params.size() + 1);
      params.emplace_back(all[i]);
    }
    sql += ") ORDER BY connec_id, provider, realm, ext_id";
    auto rows = c.query(sql, params);
    if (!rows) return rows.error();
    for (const auto& row : *rows) ext[row.text(0)].push_back({row.text(3), row.text(1), row.text(2)});
  }
  for (auto& r : records)
    for_each_reference(r, [&](const std::string&, json& ids) {
      std::string connec;
      for (const auto& e : connec_id_entries(ids))
        if (e.provider == "connec") connec = e.id;
      if (connec.empty()) return;
      json out = json::array({connec_id_json({connec, "connec", g.channel})});
      if (auto it = ext.find(connec); it != ext.end())
        for (const auto& e : it->second) out.push_back(connec_id_json(e));
      ids = out;
    });
  return {};
}

mno::Result<std::optional<Row>> load(Connection& c, const ConnecGroup& g, const std::string& collection,
                                     const std::string& id) {
  auto r = c.query_one(std::string("SELECT ") + kColumns + " FROM connec_records WHERE grp = $1 AND collection = $2 AND id = $3",
                       {g.uid, collection, id});
  if (!r) return r.error();
  if (!*r) return std::optional<Row>{};
  return std::optional<Row>{row_from(**r)};
}

// The one record of a singular collection, if any.
mno::Result<std::optional<Row>> load_singular(Connection& c, const ConnecGroup& g, const std::string& collection) {
  auto r = c.query_one(std::string("SELECT ") + kColumns +
                           " FROM connec_records WHERE grp = $1 AND collection = $2 ORDER BY seq LIMIT 1",
                       {g.uid, collection});
  if (!r) return r.error();
  if (!*r) return std::optional<Row>{};
  return std::optional<Row>{row_from(**r)};
}

mno::Result<std::optional<std::string>> find_external(Connection& c, const std::string& group,
                                                      const std::vector<std::string>& collections, const ConnecIdEntry& e) {
  for (const auto& coll : collections) {
    auto r = c.query_one("SELECT connec_id FROM connec_external_ids WHERE grp = $1 AND collection = $2 AND provider = $3"
                         " AND realm = $4 AND ext_id = $5",
                         {group, coll, e.provider, e.realm, e.id});
    if (!r) return r.error();
    if (*r) return std::optional<std::string>{(*r)->text(0)};
  }
  return std::optional<std::string>{};
}

// Reference arrays become [connec entry] when the id map knows one of their entries; unknown ones
// stay as sent (Connec! keeps what it cannot resolve).
mno::Status resolve_references(Connection& c, const ConnecGroup& g, json& data) {
  mno::Status status;
  for_each_reference(data, [&](const std::string& key, json& ids) {
    if (!status) return;
    std::optional<std::string> connec;
    for (const auto& e : connec_id_entries(ids)) {
      if (e.provider == "connec") {
        connec = e.id;
        break;
      }
    }
    if (!connec) {
      for (const auto& e : connec_id_entries(ids)) {
        auto found = find_external(c, g.uid, reference_collections(key), e);
        if (!found) {
          status = found.error();
          return;
        }
        if (*found) {
          connec = **found;
          break;
        }
      }
    }
    if (connec) ids = json::array({connec_id_json({*connec, "connec", g.channel})});
  });
  return status;
}

// Adds external ids to a record: in the id map and in data.id. Conflict when one belongs to another record.
mno::Status link_external(Connection& c, const ConnecGroup& g, const std::string& collection, const std::string& connec_id,
                          json& data, const std::vector<ConnecIdEntry>& entries) {
  if (!data.contains("id") || !data["id"].is_array()) data["id"] = json::array();
  for (const auto& e : entries) {
    if (e.provider == "connec") continue;
    auto owner = find_external(c, g.uid, {collection}, e);
    if (!owner) return owner.error();
    if (*owner && **owner != connec_id)
      return conflict("external id " + e.provider + "/" + e.realm + "/" + e.id + " already belongs to record " + **owner);
    if (*owner) continue;
    if (auto r = c.execute("INSERT INTO connec_external_ids (grp, collection, provider, realm, ext_id, connec_id)"
                           " VALUES ($1, $2, $3, $4, $5, $6)",
                           {g.uid, collection, e.provider, e.realm, e.id, connec_id});
        !r)
      return r.error();
    data["id"].push_back(connec_id_json(e));
  }
  return {};
}

mno::Result<int64_t> next_seq(Connection& c, const ConnecGroup& g, const std::string& collection) {
  auto r = c.query_one("SELECT COALESCE(MAX(seq), 0) FROM connec_records WHERE grp = $1 AND collection = $2",
                       {g.uid, collection});
  if (!r) return r.error();
  return (*r)->i64(0) + 1;
}

json fields_of(const json& resource) {
  json out = json::object();
  for (const auto& [k, v] : resource.items())
    if (!is_server_field(k) && k != "id") out[k] = v;
  return out;
}

bool sparse_of(const json& resource) {
  if (auto o = resource.find("opts"); o != resource.end() && o->is_object())
    if (auto s = o->find("sparse"); s != o->end() && s->is_boolean()) return s->get<bool>();
  return true;
}

const json* at_path(const json& record, const std::string& path) {
  const json* cur = &record;
  size_t b = 0;
  while (true) {
    size_t dot = path.find('.', b);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(path.substr(b, dot == std::string::npos ? std::string::npos : dot - b));
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string::npos) return cur;
    b = dot + 1;
  }
}

// Runs fn in a write transaction, again when a concurrent writer took the same seq or external id
// first (db.constraint): the retry then sees that writer's record and updates it instead.
// connec.raced: a record being created found its external id taken by a concurrent writer's commit.
template <class F>
auto write_retrying(mno::db::Database& db, F&& fn) {
  auto raced = [](const auto& r) { return !r && (r.error().code == "db.constraint" || r.error().code == "connec.raced"); };
  auto r = db.transact(fn);
  for (int i = 0; i < 4 && raced(r); ++i) r = db.transact(fn);
  if (!r && r.error().code == "connec.raced") return decltype(r)(conflict(r.error().message));
  return r;
}

struct Written {
  Row row;
  int status = 0;
  bool changed = true;
};

// Creates or updates the record `target` (nullopt = create) with the resource's fields and ids.
mno::Result<Written> apply(Connection& c, const ConnecGroup& g, const std::string& collection,
                           std::optional<Row> target, const json& resource, int64_t now_ms, mno::Random& random) {
  auto entries = resource.contains("id") ? connec_id_entries(resource["id"]) : std::vector<ConnecIdEntry>{};
  json sent = fields_of(resource);
  if (auto s = resolve_references(c, g, sent); !s) return s.error();
  Written w;
  if (target) {
    w.row = std::move(*target);
    json before = w.row.data;
    merge_connec_fields(w.row.data, sent, sparse_of(resource));
    ensure_sub_record_ids(w.row.data, g.channel, random);
    if (auto s = link_external(c, g, collection, w.row.id, w.row.data, entries); !s) return s.error();
    w.status = 200;
    w.changed = w.row.data != before;
    if (!w.changed) return w;
    w.row.updated_ms = std::max(now_ms, w.row.updated_ms);
    if (auto r = c.execute("UPDATE connec_records SET data = $1, updated_ms = $2 WHERE grp = $3 AND collection = $4 AND id = $5",
                           {w.row.data.dump(), w.row.updated_ms, g.uid, collection, w.row.id});
        !r)
      return r.error();
    return w;
  }
  auto seq = next_seq(c, g, collection);
  if (!seq) return seq.error();
  w.row.id = new_connec_id(random);
  w.row.seq = *seq;
  w.row.data = json::object();
  merge_connec_fields(w.row.data, sent, true);
  ensure_sub_record_ids(w.row.data, g.channel, random);
  w.row.code = w.row.data.contains("code") && w.row.data["code"].is_string() ? w.row.data["code"].get<std::string>()
                                                                              : code_prefix(collection) + std::to_string(*seq);
  w.row.created_ms = w.row.updated_ms = now_ms;
  w.status = 201;
  if (auto s = link_external(c, g, collection, w.row.id, w.row.data, entries); !s) {
    if (s.error().code == "connec.conflict") return mno::make_error("connec.raced", s.error().message);
    return s.error();
  }
  if (auto r = c.execute("INSERT INTO connec_records (grp, collection, id, seq, code, data, created_ms, updated_ms)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                         {g.uid, collection, w.row.id, w.row.seq, w.row.code, w.row.data.dump(), now_ms, now_ms});
      !r)
    return r.error();
  return w;
}

mno::Result<ConnecWrite> rendered_write(Connection& c, const ConnecGroup& g, const std::string& collection, Written w) {
  std::vector<json> one{light_render(w.row, g, collection)};
  if (auto s = expand_references(c, g, one); !s) return s.error();
  ConnecWrite out;
  out.status = w.status;
  out.record = std::move(one.front());
  out.connec_id = w.row.id;
  out.changed = w.changed;
  return out;
}

// SQL conditions for created_at/updated_at clauses. Times render at second precision, so a bound on
// the rendered value becomes a millisecond range on the column.
bool push_down(const ConnecClause& c, std::string& sql, std::vector<Value>& params) {
  if (c.field != "updated_at" && c.field != "created_at") return false;
  if (c.op == ConnecOp::match || !c.value.is_string()) return false;
  auto t = mno::parse_iso8601(c.value.get<std::string>());
  if (!t) return false;
  int64_t l = ms_of(*t);
  int64_t floor_s = l >= 0 ? l / 1000 : -((-l + 999) / 1000);
  bool whole = floor_s * 1000 == l;
  std::string col = c.field == "updated_at" ? "updated_ms" : "created_ms";
  auto p = [&](int64_t v) {
    params.emplace_back(v);
    return "$" + std::to_string(params.size());
  };
  switch (c.op) {
    case ConnecOp::gt: sql += " AND " + col + " >= " + p((floor_s + 1) * 1000); return true;
    case ConnecOp::lt: sql += " AND " + col + " < " + p((whole ? floor_s : floor_s + 1) * 1000); return true;
    case ConnecOp::eq:
      if (!whole) sql += " AND 1 = 0";
      else sql += " AND " + col + " >= " + p(l) + " AND " + col + " < " + p(l + 1000);
      return true;
    case ConnecOp::ne:
      if (whole) sql += " AND (" + col + " < " + p(l) + " OR " + col + " >= " + p(l + 1000) + ")";
      return true;
    case ConnecOp::match: return false;
  }
  return false;
}

}  // namespace

const std::vector<mno::db::Migration>& connec_migrations() {
  static const std::vector<mno::db::Migration> m = {
      {40, "Connec!: records and the external id map",
       "CREATE TABLE connec_records (grp TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL, seq BIGINT NOT NULL,"
       " code TEXT NOT NULL, data TEXT NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,"
       " PRIMARY KEY (grp, collection, id));"
       "CREATE UNIQUE INDEX connec_records_seq ON connec_records (grp, collection, seq);"
       "CREATE INDEX connec_records_updated ON connec_records (grp, collection, updated_ms, seq);"
       "CREATE INDEX connec_records_created ON connec_records (grp, collection, created_ms, seq);"
       "CREATE TABLE connec_external_ids (grp TEXT NOT NULL, collection TEXT NOT NULL, provider TEXT NOT NULL,"
       " realm TEXT NOT NULL, ext_id TEXT NOT NULL, connec_id TEXT NOT NULL,"
       " PRIMARY KEY (grp, collection, provider, realm, ext_id));"
       "CREATE INDEX connec_external_ids_record ON connec_external_ids (grp, connec_id);",
       ""},
  };
  return m;
}

bool is_singular_collection(const std::string& collection) { return collection == "company"; }

bool is_valid_collection_name(const std::string& c) {
  if (c.empty() || c.size() > 64 || std::isdigit(static_cast<unsigned char>(c[0]))) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; });
}

ConnecStore::ConnecStore(std::shared_ptr<mno::db::Database> db, const mno::Clock& clock, mno::Random& random)
    : db_(std::move(db)), clock_(clock), random_(random) {}

mno::Result<ConnecListPage> ConnecStore::list(const ConnecGroup& g, const std::string& collection,
                                              const ConnecListQuery& q) const {
  auto filter = parse_connec_filter(q.filter);
  if (!filter) return filter.error();
  auto order = parse_connec_orderby(q.orderby);
  if (!order) return order.error();
  std::string where = " FROM connec_records WHERE grp = $1 AND collection = $2";
  std::vector<Value> params{g.uid, collection};
  ConnecFilter rest;
  for (const auto& c : filter->clauses)
    if (!push_down(c, where, params)) rest.clauses.push_back(c);
  bool sql_order = order->field.empty() || order->field == "updated_at" || order->field == "created_at";
  std::string dir = order->descending ? " DESC" : " ASC";
  std::string order_sql = order->field.empty() ? " ORDER BY seq" + dir
                          : " ORDER BY " + std::string(order->field == "updated_at" ? "updated_ms" : "created_ms") + dir +
                                ", seq" + dir;
  ConnecListPage page;
  page.top = std::clamp<int64_t>(q.top, 1, 1000);
  page.skip = std::max<int64_t>(q.skip, 0);
  auto result = db_->transact([&](Connection& c) -> mno::Result<ConnecListPage> {
    ConnecListPage p = page;
    if (rest.clauses.empty() && sql_order) {
      auto n = c.query_one("SELECT COUNT(*)" + where, params);
      if (!n) return n.error();
      p.total = (*n)->i64(0);
      auto lp = params;
      lp.emplace_back(p.top);
      lp.emplace_back(p.skip);
      auto rows = c.query(std::string("SELECT ") + kColumns + where + order_sql + " LIMIT $" +
                              std::to_string(lp.size() - 1) + " OFFSET $" + std::to_string(lp.size()),
                          lp);
      if (!rows) return rows.error();
      for (const auto& r : *rows) p.records.push_back(light_render(row_from(r), g, collection));
    } else {
      auto rows = c.query(std::string("SELECT ") + kColumns + where + order_sql, params);
      if (!rows) return rows.error();
      std::vector<json> kept;
      for (const auto& r : *rows) {
        json rec = light_render(row_from(r), g, collection);
        if (rest.matches(rec)) kept.push_back(std::move(rec));
      }
      if (!sql_order)
        std::stable_sort(kept.begin(), kept.end(), [&](const json& a, const json& b) {
          int cmp = compare_connec_field(a, b, order->field);
          return order->descending ? cmp > 0 : cmp < 0;
        });
      p.total = static_cast<int64_t>(kept.size());
      for (int64_t i = p.skip; i < p.total && i < p.skip + p.top; ++i) p.records.push_back(std::move(kept[i]));
    }
    if (auto s = expand_references(c, g, p.records); !s) return s.error();
    return p;
  }, mno::db::TxKind::read);
  return result;
}

mno::Result<json> ConnecStore::get(const ConnecGroup& g, const std::string& collection, const std::string& id) const {
  return db_->transact([&](Connection& c) -> mno::Result<json> {
    auto row = is_singular_collection(collection) ? load_singular(c, g, collection) : load(c, g, collection, id);
    if (!row) return row.error();
    if (!*row) {
      if (is_singular_collection(collection)) return json::object();
      return not_found(collection, id);
    }
    std::vector<json> one{light_render(**row, g, collection)};
    if (auto s = expand_references(c, g, one); !s) return s.error();
    return one.front();
  }, mno::db::TxKind::read);
}

mno::Result<ConnecWrite> ConnecStore::post(const ConnecGroup& g, const std::string& collection, const json& resource) {
  if (!resource.is_object()) return invalid("the \"" + collection + "\" value must be a JSON object");
  if (resource.contains("id") && resource["id"].is_string())
    return conflict("a POST cannot carry a Connec! id; PUT to the record instead");
  if (is_singular_collection(collection)) return put(g, collection, "", resource);
  const int64_t now = ms_of(clock_.now());
  return write_retrying(*db_, [&](Connection& c) -> mno::Result<ConnecWrite> {
    std::optional<Row> target;
    auto entries = resource.contains("id") ? connec_id_entries(resource["id"]) : std::vector<ConnecIdEntry>{};
    for (const auto& e : entries) {
      if (e.provider != "connec") continue;
      auto row = load(c, g, collection, e.id);
      if (!row) return row.error();
      if (!*row) return not_found(collection, e.id);
      target = std::move(*row);
    }
    for (const auto& e : entries) {
      if (e.provider == "connec") continue;
      auto owner = find_external(c, g.uid, {collection}, e);
      if (!owner) return owner.error();
      if (!*owner) continue;
      if (target && target->id != **owner)
        return conflict("the id array names two different records (" + target->id + ", " + **owner + ")");
      if (!target) {
        auto row = load(c, g, collection, **owner);
        if (!row) return row.error();
        target = std::move(*row);
      }
    }
    // Smart merging (1.5): an existing record equal on every matching field is updated.
    if (!target && resource.contains("opts") && resource["opts"].is_object() && resource["opts"].contains("matching_fields")) {
      const auto& fields = resource["opts"]["matching_fields"];
      if (!fields.is_array()) return invalid("opts.matching_fields must be an array of field names");
      std::vector<std::pair<std::string, json>> wanted;
      for (const auto& f : fields) {
        if (!f.is_string()) return invalid("opts.matching_fields must be an array of field names");
        const json* v = at_path(resource, f.get<std::string>());
        if (v && !v->is_null()) wanted.emplace_back(f.get<std::string>(), *v);
      }
      if (!wanted.empty() && wanted.size() == fields.size()) {
        auto rows = c.query(std::string("SELECT ") + kColumns + " FROM connec_records WHERE grp = $1 AND collection = $2 ORDER BY seq",
                            {g.uid, collection});
        if (!rows) return rows.error();
        for (const auto& r : *rows) {
          Row row = row_from(r);
          bool all = std::all_of(wanted.begin(), wanted.end(), [&](const auto& w) {
            const json* have = at_path(row.data, w.first);
            return have && *have == w.second;
          });
          if (all) {
            target = std::move(row);
            break;
          }
        }
      }
    }
    auto w = apply(c, g, collection, std::move(target), resource, now, random_);
    if (!w) return w.error();
    return rendered_write(c, g, collection, std::move(*w));
  });
}

mno::Result<ConnecWrite> ConnecStore::put(const ConnecGroup& g, const std::string& collection, const std::string& id,
                                          const json& resource) {
  if (!resource.is_object()) return invalid("the \"" + collection + "\" value must be a JSON object");
  const int64_t now = ms_of(clock_.now());
  return write_retrying(*db_, [&](Connection& c) -> mno::Result<ConnecWrite> {
    bool singular = is_singular_collection(collection);
    auto row = singular ? load_singular(c, g, collection) : load(c, g, collection, id);
    if (!row) return row.error();
    if (!*row && !singular) return not_found(collection, id);
    auto w = apply(c, g, collection, std::move(*row), resource, now, random_);
    if (!w) return w.error();
    if (singular) w->status = 200;
    return rendered_write(c, g, collection, std::move(*w));
  });
}

mno::Result<std::vector<std::string>> ConnecStore::insert_many(const ConnecGroup& g, const std::string& collection,
                                                               const std::vector<json>& resources) {
  const int64_t now = ms_of(clock_.now());
  return write_retrying(*db_, [&](Connection& c) -> mno::Result<std::vector<std::string>> {
    auto seq = next_seq(c, g, collection);
    if (!seq) return seq.error();
    std::vector<std::string> ids;
    constexpr size_t kRowsPerStatement = 100;
    for (size_t b = 0; b < resources.size(); b += kRowsPerStatement) {
      std::string sql = "INSERT INTO connec_records (grp, collection, id, seq, code, data, created_ms, updated_ms) VALUES ";
      std::vector<Value> params;
      for (size_t i = b; i < std::min(resources.size(), b + kRowsPerStatement); ++i) {
        json data = fields_of(resources[i]);
        ensure_sub_record_ids(data, g.channel, random_);
        data["id"] = json::array();
        int64_t s = *seq + static_cast<int64_t>(i);
        std::string id = new_connec_id(random_);
        std::string code = data.contains("code") && data["code"].is_string() ? data["code"].get<std::string>()
                                                                              : code_prefix(collection) + std::to_string(s);
        sql += i == b ? "(" : ", (";
        for (int k = 0; k < 8; ++k) sql += (k ? ", $" : "$") + std::to_string(params.size() + 1 + k);
        sql += ")";
        for (Value v : std::vector<Value>{g.uid, collection, id, s, code, data.dump(), now, now}) params.push_back(std::move(v));
        ids.push_back(std::move(id));
      }
      if (auto r = c.execute(sql, params); !r) return r.error();
    }
    return ids;
  });
}

mno::Result<std::map<std::string, int64_t>> ConnecStore::counts(const std::string& group) const {
  auto rows = db_->query("SELECT collection, COUNT(*) FROM connec_records WHERE grp = $1 GROUP BY collection ORDER BY collection",
                         {group});
  if (!rows) return rows.error();
  std::map<std::string, int64_t> out;
  for (const auto& r : *rows) out[r.text(0)] = r.i64(1);
  return out;
}

mno::Status ConnecStore::clear() {
  return db_->transaction([](Connection& c) -> mno::Status {
    for (const char* sql : {"DELETE FROM connec_records", "DELETE FROM connec_external_ids"})
      if (auto r = c.execute(sql); !r) return r.error();
    return {};
  });
}

}  // namespace sandbox
