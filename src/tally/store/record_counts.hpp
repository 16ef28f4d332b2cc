// Per-company record counts kept by the database itself (triggers on customers, contacts, products and
// invoices), so a list page knows its total without counting every row of a 10,000-record company on
// each request. Triggers rather than store code, so that every writer (services, the Connec! sync, the
// retention purge, a manual fix in psql) keeps them right in the same transaction.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"

namespace tally::store {

const std::vector<mno::db::Migration>& record_counts_migrations();

// Rows of `table` ("customers", "contacts", "products", "invoices") in the company: active ones, or
// all with include_archived; status narrows invoices to one status.
mno::Result<int64_t> counted_records(mno::db::Connection& c, int64_t company_id, std::string_view table,
                                     bool include_archived, const std::optional<std::string>& status = std::nullopt);

// The value of a `SELECT COUNT(*) ...` query: the fallback for filtered lists (search, customer).
mno::Result<int64_t> count_query(mno::db::Connection& c, const std::string& sql, const std::vector<mno::db::Value>& params);

}  // namespace tally::store
