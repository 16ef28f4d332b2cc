// See dashboard.hpp. Everything is read in one read transaction so the figures agree.
#include "tally/domain/dashboard.hpp"

#include <chrono>
#include <cstdio>

#include "tally/store/dashboard_store.hpp"
#include "tally/store/invoice_store.hpp"

namespace tally {

Dashboard::Dashboard(mno::db::Database& db, const mno::Clock& clock) : db_(db), clock_(clock) {}

mno::Result<DashboardFigures> Dashboard::load(int64_t company_id) {
  using namespace std::chrono;
  const year_month_day today{floor<days>(clock_.now())};
  const year_month this_month{today.year(), today.month()};
  const year_month next_month = this_month + months{1};
  auto first_day = [](year_month ym) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-01", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
    return std::string(buf);
  };
  const std::string from = first_day(this_month), until = first_day(next_month);
  return db_.transact(
      [&](mno::db::Connection& c) -> mno::Result<DashboardFigures> {
        DashboardFigures f;
        f.month = from.substr(0, 7);
        if (auto s = store::count_active_records(c, company_id, f); !s) return s.error();
        auto latest = store::latest_invoices(c, company_id, 5);
        if (!latest) return latest.error();
        f.latest_invoices = std::move(*latest);
        auto revenue = store::revenue_between(c, company_id, from, until);
        if (!revenue) return revenue.error();
        f.revenue_this_month = std::move(*revenue);
        return f;
      },
      mno::db::TxKind::read);
}

}  // namespace tally
