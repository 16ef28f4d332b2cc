// The billing worker's status refresh (job "billing_status"): the platform changes a bill's status on
// its own (a submitted bill becomes invoiced, a recurring bill active or expired), and the billing page
// promises each bill's platform status. So, now and then, the group's bills are listed and every
// ledger row still in a non-final status takes the platform's. Idempotent: several workers may do it.
#pragma once
#include <functional>
#include <memory>

#include "mno/account/account_client.hpp"
#include "mno/config/registry.hpp"
#include "mno/db/database.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace tally {

inline constexpr const char* kBillingStatusJob = "billing_status";

class BillingStatusRefresher {
 public:
  BillingStatusRefresher(mno::db::Database& db, const mno::Clock& clock, const mno::config::Registry& registry,
                         std::function<std::shared_ptr<mno::http::HttpClient>()> http,
                         mno::account::ClientOptions client = {}, int companies_per_round = 50);

  // One round over the companies with bills in a non-final status. Returns how many statuses changed
  // (0 when nothing did, so the job then waits its interval). A company whose platform cannot be
  // reached is skipped and logged; it is tried again next round.
  mno::Result<int> run_once();

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  const mno::config::Registry& registry_;
  std::function<std::shared_ptr<mno::http::HttpClient>()> http_;
  mno::account::ClientOptions client_;
  int companies_per_round_;
};

}  // namespace tally
