// SQL behind the dashboard: record counts and revenue sums for one company.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/dashboard.hpp"

namespace tally::store {

// Fills the four counts of non-archived records.
mno::Status count_active_records(mno::db::Connection& c, int64_t company_id, DashboardFigures& out);
// Sum of totals of non-archived sent/paid invoices with from ≤ issue_date < until (YYYY-MM-DD), per currency.
mno::Result<std::vector<CurrencyAmount>> revenue_between(mno::db::Connection& c, int64_t company_id,
                                                         const std::string& from, const std::string& until);

}  // namespace tally::store
