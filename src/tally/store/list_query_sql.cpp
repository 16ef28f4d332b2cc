// See list_query_sql.hpp.
#include "tally/store/list_query_sql.hpp"

#include "tally/domain/validation.hpp"

namespace tally::store {

mno::Result<std::string> order_by_clause(const ListQuery& q, std::initializer_list<SortColumn> whitelist,
                                         std::string_view tie_breaker) {
  FieldErrors errors;
  if (q.page < 1) errors.add("page", "must be 1 or more");
  if (q.per_page < 1 || q.per_page > 100) errors.add("per_page", "must be between 1 and 100");
  const SortColumn* chosen = nullptr;
  if (q.sort.empty()) {
    chosen = whitelist.begin();
  } else {
    for (const auto& c : whitelist)
      if (c.name == q.sort) chosen = &c;
  }
  if (!chosen) {
    std::string names;
    for (const auto& c : whitelist) names += (names.empty() ? "" : ", ") + std::string(c.name);
    errors.add("sort", "must be one of " + names);
  }
  if (!errors.empty()) return errors.to_error();
  const char* dir = q.descending ? " DESC" : "";
  std::string out = " ORDER BY ";
  // Apply the direction to every column of a multi-column expression.
  std::string_view expr = chosen->sql;
  for (size_t start = 0;;) {
    size_t comma = expr.find(',', start);
    out += std::string(expr.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)) + dir;
    if (comma == std::string_view::npos) break;
    out += ",";
    start = comma + 1;
  }
  out += ", " + std::string(tie_breaker) + dir;
  return out;
}

std::string limit_clause(const ListQuery& q) {
  return " LIMIT " + std::to_string(q.per_page) + " OFFSET " +
         std::to_string(static_cast<int64_t>(q.page - 1) * q.per_page);
}

std::string like_pattern(std::string_view search) {
  std::string out = "%";
  for (char c : search) {
    if (c == '\\' || c == '%' || c == '_') out.push_back('\\');
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  out.push_back('%');
  return out;
}

std::string search_condition(std::initializer_list<std::string_view> columns, int param_index) {
  std::string out = "(";
  bool first = true;
  for (auto col : columns) {
    out += (first ? "" : " OR ") + std::string("lower(") + std::string(col) + ") LIKE $" + std::to_string(param_index) +
           " ESCAPE '\\'";
    first = false;
  }
  return out + ")";
}

mno::Error not_found(std::string_view what) {
  return mno::make_error("record.not_found", "this " + std::string(what) + " does not exist");
}

mno::Error stale(std::string_view what) {
  return mno::make_error("record.stale", "this " + std::string(what) +
                                             " was changed by someone else since you opened it; reload to see their changes");
}

mno::Status check_versioned_write(mno::db::Connection& c, std::string_view table, std::string_view what,
                                  int64_t company_id, int64_t id, int64_t affected) {
  if (affected == 1) return {};
  auto row = c.query_one("SELECT 1 FROM " + std::string(table) + " WHERE id = $1 AND company_id = $2", {id, company_id});
  if (!row) return row.error();
  return *row ? stale(what) : not_found(what);
}

mno::Status archive_row(mno::db::Connection& c, std::string_view table, std::string_view what, int64_t company_id,
                        int64_t id, int64_t expected_version, const std::string& now) {
  auto n = c.execute("UPDATE " + std::string(table) +
                         " SET archived_at = COALESCE(archived_at, $1), updated_at = $1, version = version + 1"
                         " WHERE id = $2 AND company_id = $3 AND version = $4",
                     {now, id, company_id, expected_version});
  if (!n) return n.error();
  return check_versioned_write(c, table, what, company_id, id, *n);
}

}  // namespace tally::store
