// The dashboard's figures for one company, read in one read transaction: counts of active
// (non-archived) records, the latest invoices, and this month's revenue per currency.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/invoice.hpp"

namespace tally {

struct CurrencyAmount {
  std::string currency;
  int64_t cents = 0;
  bool operator==(const CurrencyAmount&) const = default;
};

struct DashboardFigures {
  int64_t customers = 0, contacts = 0, products = 0, invoices = 0;  // non-archived
  std::vector<Invoice> latest_invoices;  // up to 5 non-archived, newest first, without lines
  // Sum of totals of non-archived invoices with status sent or paid issued in the current UTC month
  // (from the Clock), one entry per currency, sorted by currency.
  std::vector<CurrencyAmount> revenue_this_month;
  std::string month;  // "YYYY-MM" the revenue refers to
};

class Dashboard {
 public:
  Dashboard(mno::db::Database& db, const mno::Clock& clock);
  mno::Result<DashboardFigures> load(int64_t company_id);

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
};

}  // namespace tally
