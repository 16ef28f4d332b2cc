// See record_counts.hpp. One row per (company, table, status, archived); status is '' for tables
// without one. The SQLite and PostgreSQL trigger dialects differ, so each has its own script.
#include "tally/store/record_counts.hpp"

#include "tally/store/portable_sql.hpp"

namespace tally::store {
namespace {

constexpr const char* kTable =
    "CREATE TABLE record_counts ("
    " company_id INT64 NOT NULL REFERENCES companies(id),"
    " entity TEXT NOT NULL, status TEXT NOT NULL, archived INTEGER NOT NULL, n INT64 NOT NULL,"
    " PRIMARY KEY (company_id, entity, status, archived));";

std::string status_expr(const std::string& row, bool has_status) { return has_status ? row + ".status" : "''"; }

std::string backfill(const std::string& table, bool has_status) {
  return "INSERT INTO record_counts (company_id, entity, status, archived, n) SELECT company_id, '" + table + "', " +
         (has_status ? "status" : "''") +
         ", CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM " + table + " GROUP BY company_id, " +
         (has_status ? "status, " : "") + "CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END;";
}

std::string sqlite_triggers(const std::string& table, bool has_status) {
  auto add = [&](const std::string& row) {
    return "INSERT INTO record_counts (company_id, entity, status, archived, n) VALUES (" + row + ".company_id, '" +
           table + "', " + status_expr(row, has_status) + ", " + row +
           ".archived_at IS NOT NULL, 1) ON CONFLICT (company_id, entity, status, archived) DO UPDATE SET n = n + 1;";
  };
  auto remove = [&](const std::string& row) {
    return "UPDATE record_counts SET n = n - 1 WHERE company_id = " + row + ".company_id AND entity = '" + table +
           "' AND status = " + status_expr(row, has_status) + " AND archived = (" + row + ".archived_at IS NOT NULL);";
  };
  std::string changed = "(OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL)";
  if (has_status) changed += " OR OLD.status <> NEW.status";
  return "CREATE TRIGGER " + table + "_count_insert AFTER INSERT ON " + table + " BEGIN " + add("NEW") + " END;" +
         "CREATE TRIGGER " + table + "_count_delete AFTER DELETE ON " + table + " BEGIN " + remove("OLD") + " END;" +
         "CREATE TRIGGER " + table + "_count_update AFTER UPDATE OF " + (has_status ? "status, " : "") +
         "archived_at ON " + table + " WHEN " + changed + " BEGIN " + remove("OLD") + add("NEW") + " END;";
}

std::string postgres_function(const std::string& name, bool has_status) {
  auto status = [&](const std::string& row) { return has_status ? row + ".status" : std::string("''"); };
  return "CREATE FUNCTION " + name +
         "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
         "IF TG_OP = 'UPDATE' AND (OLD.archived_at IS NULL) = (NEW.archived_at IS NULL)" +
         (has_status ? std::string(" AND OLD.status = NEW.status") : std::string()) +
         " THEN RETURN NULL; END IF; "
         "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
         "UPDATE record_counts SET n = n - 1 WHERE company_id = OLD.company_id AND entity = TG_TABLE_NAME"
         " AND status = " + status("OLD") + " AND archived = CASE WHEN OLD.archived_at IS NULL THEN 0 ELSE 1 END; "
         "END IF; "
         "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
         "INSERT INTO record_counts (company_id, entity, status, archived, n) VALUES (NEW.company_id, TG_TABLE_NAME, " +
         status("NEW") + ", CASE WHEN NEW.archived_at IS NULL THEN 0 ELSE 1 END, 1)"
         " ON CONFLICT (company_id, entity, status, archived) DO UPDATE SET n = record_counts.n + 1; "
         "END IF; RETURN NULL; END $$;";
}

std::string postgres_trigger(const std::string& table, bool has_status) {
  return "CREATE TRIGGER " + table + "_counts AFTER INSERT OR DELETE OR UPDATE OF " +
         (has_status ? "status, " : "") + "archived_at ON " + table + " FOR EACH ROW EXECUTE FUNCTION " +
         (has_status ? "record_counts_with_status" : "record_counts_plain") + "();";
}

struct Counted {
  const char* table;
  bool has_status;
};
constexpr Counted kCounted[] = {{"customers", false}, {"contacts", false}, {"products", false}, {"invoices", true}};

}  // namespace

const std::vector<mno::db::Migration>& record_counts_migrations() {
  static const std::vector<mno::db::Migration> m = [] {
    std::string sqlite = expand_portable_sql(kTable, false);
    std::string postgres = expand_portable_sql(kTable, true) + postgres_function("record_counts_plain", false) +
                           postgres_function("record_counts_with_status", true);
    for (const auto& t : kCounted) {
      sqlite += backfill(t.table, t.has_status) + sqlite_triggers(t.table, t.has_status);
      postgres += backfill(t.table, t.has_status) + postgres_trigger(t.table, t.has_status);
    }
    return std::vector<mno::db::Migration>{{85, "record counts per company, kept by triggers", sqlite, postgres}};
  }();
  return m;
}

mno::Result<int64_t> counted_records(mno::db::Connection& c, int64_t company_id, std::string_view table,
                                     bool include_archived, const std::optional<std::string>& status) {
  std::string sql = "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM record_counts WHERE company_id = $1 AND entity = $2";
  std::vector<mno::db::Value> params{company_id, std::string(table)};
  if (!include_archived) sql += " AND archived = 0";
  if (status) {
    params.emplace_back(*status);
    sql += " AND status = $3";
  }
  auto row = c.query_one(sql, params);
  if (!row) return row.error();
  return (*row)->i64(0);
}

mno::Result<int64_t> count_query(mno::db::Connection& c, const std::string& sql, const std::vector<mno::db::Value>& params) {
  auto row = c.query_one(sql, params);
  if (!row) return row.error();
  return (*row)->i64(0);
}

}  // namespace tally::store
