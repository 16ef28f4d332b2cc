// See dashboard_store.hpp. SUM is cast to BIGINT because PostgreSQL widens sum(bigint) to numeric.
#include "tally/store/dashboard_store.hpp"

namespace tally::store {

mno::Status count_active_records(mno::db::Connection& c, int64_t company_id, DashboardFigures& out) {
  auto row = c.query_one(
      "SELECT (SELECT COUNT(*) FROM customers WHERE company_id = $1 AND archived_at IS NULL),"
      " (SELECT COUNT(*) FROM contacts WHERE company_id = $1 AND archived_at IS NULL),"
      " (SELECT COUNT(*) FROM products WHERE company_id = $1 AND archived_at IS NULL),"
      " (SELECT COUNT(*) FROM invoices WHERE company_id = $1 AND archived_at IS NULL)",
      {company_id});
  if (!row) return row.error();
  out.customers = (*row)->i64(0);
  out.contacts = (*row)->i64(1);
  out.products = (*row)->i64(2);
  out.invoices = (*row)->i64(3);
  return {};
}

mno::Result<std::vector<CurrencyAmount>> revenue_between(mno::db::Connection& c, int64_t company_id,
                                                         const std::string& from, const std::string& until) {
  auto rows = c.query(
      "SELECT currency, CAST(SUM(total_cents) AS BIGINT) FROM invoices"
      " WHERE company_id = $1 AND archived_at IS NULL AND status IN ('sent','paid')"
      " AND issue_date >= $2 AND issue_date < $3 GROUP BY currency ORDER BY currency",
      {company_id, from, until});
  if (!rows) return rows.error();
  std::vector<CurrencyAmount> out;
  for (const auto& r : *rows) out.push_back({r.text(0), r.i64(1)});
  return out;
}

}  // namespace tally::store
