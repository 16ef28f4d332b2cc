// See billing_status_refresh.hpp. Final statuses (cancelled, invoiced, expired) are never asked about
// again, so the round only costs the groups with open bills.
#include "tally/worker/billing_status_refresh.hpp"

#include <map>

#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "tally/store/billing_store.hpp"

namespace tally {

BillingStatusRefresher::BillingStatusRefresher(mno::db::Database& db, const mno::Clock& clock,
                                               const mno::config::Registry& registry,
                                               std::function<std::shared_ptr<mno::http::HttpClient>()> http,
                                               mno::account::ClientOptions client, int companies_per_round)
    : db_(db), clock_(clock), registry_(registry), http_(std::move(http)), client_(client),
      companies_per_round_(companies_per_round) {}

mno::Result<int> BillingStatusRefresher::run_once() {
  auto companies = db_.query(
      "SELECT DISTINCT c.id, c.marketplace, c.external_uid FROM billing_charges b JOIN companies c ON c.id = b.company_id"
      " WHERE b.state = 'done' AND b.platform_id IS NOT NULL AND b.kind IN ('bill', 'recurring_bill')"
      " AND b.platform_status IN ('submitted', 'active')"
      " AND c.marketplace IS NOT NULL AND c.external_uid IS NOT NULL ORDER BY c.id LIMIT " +
      std::to_string(companies_per_round_));
  if (!companies) return companies.error();
  auto http = http_ ? http_() : nullptr;
  if (!http || companies->empty()) return 0;
  int changed = 0;
  for (const auto& row : *companies) {
    const int64_t company_id = row.i64(0);
    const std::string market = row.text(1), group = row.text(2);
    auto marketplace = registry_.find(market);
    if (!marketplace) continue;
    mno::account::AccountClient client(*marketplace, *http, client_);
    mno::account::ListQuery q;
    q.group_id = group;
    auto bills = client.list_bills(q);
    auto recurring = bills ? client.list_recurring_bills(q) : mno::Result<std::vector<mno::account::RecurringBill>>(bills.error());
    if (!bills || !recurring) {
      const auto& e = bills ? recurring.error() : bills.error();
      mno::log::warn("billing.status_refresh_failed",
                     {{"company", std::to_string(company_id)}, {"code", e.code}, {"error", e.message}});
      continue;
    }
    std::map<std::string, std::string> status;
    for (const auto& b : *bills) status[b.id] = b.status;
    for (const auto& r : *recurring) status[r.id] = r.status;
    const std::string now = mno::format_iso8601(clock_.now());
    int company_changed = 0;
    auto s = db_.transaction([&](mno::db::Connection& tx) -> mno::Status {
      auto rows = tx.query(
          "SELECT id, platform_id, platform_status FROM billing_charges WHERE company_id = $1 AND state = 'done'"
          " AND platform_id IS NOT NULL AND kind IN ('bill', 'recurring_bill')",
          {company_id});
      if (!rows) return rows.error();
      int n = 0;
      for (const auto& r : *rows) {
        auto it = status.find(r.text(1));
        if (it == status.end() || it->second.empty() || it->second == r.opt_text(2).value_or("")) continue;
        if (auto st = store::set_platform_status(tx, r.i64(0), it->second, now); !st) return st;
        ++n;
      }
      company_changed = n;  // the transaction may run again: count only the attempt that commits
      return {};
    });
    if (!s) return s.error();
    changed += company_changed;
    if (company_changed > 0)
      mno::log::info("billing.status_refreshed",
                     {{"company", std::to_string(company_id)}, {"changed", std::to_string(company_changed)}});
  }
  return changed;
}

}  // namespace tally
