// SQL building blocks shared by the record stores (customers, contacts, products, invoices):
// validating a ListQuery against an entity's sort whitelist, turning a search into a safe LIKE
// pattern, and the optimistic-concurrency steps every versioned record table shares.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/list_query.hpp"

namespace tally::store {

struct SortColumn {
  std::string_view name;  // what the caller passes in ListQuery::sort
  std::string_view sql;   // the ORDER BY expression, ascending (comma-separated columns allowed)
};

// "ORDER BY <expr> [DESC], <tie_breaker> [DESC]" for a valid query; validation.failed with field
// errors on "sort", "page" or "per_page" otherwise. An empty sort uses the first whitelist entry.
mno::Result<std::string> order_by_clause(const ListQuery& q, std::initializer_list<SortColumn> whitelist,
                                         std::string_view tie_breaker);
// " LIMIT n OFFSET m" for the (validated) page.
std::string limit_clause(const ListQuery& q);

// The search as a LIKE pattern for `lower(col) LIKE $n ESCAPE '\'`: ASCII lower-cased, with \, %
// and _ escaped so they match literally, wrapped in %...%.
std::string like_pattern(std::string_view search);
// The matching condition: "(lower(a) LIKE $n ESCAPE '\' OR lower(b) LIKE ...)".
std::string search_condition(std::initializer_list<std::string_view> columns, int param_index);

// Errors for a record the caller may not see or that changed under them. `what` is "customer", ...
mno::Error not_found(std::string_view what);
mno::Error stale(std::string_view what);
// After `UPDATE <table> ... WHERE id AND company_id AND version` touched `affected` rows: ok when
// 1, else record.stale if the record exists in this company, else record.not_found.
mno::Status check_versioned_write(mno::db::Connection& c, std::string_view table, std::string_view what,
                                  int64_t company_id, int64_t id, int64_t affected);
// Sets archived_at (if not yet set), updated_at and version+1 under the expected version.
mno::Status archive_row(mno::db::Connection& c, std::string_view table, std::string_view what, int64_t company_id,
                        int64_t id, int64_t expected_version, const std::string& now);

}  // namespace tally::store
