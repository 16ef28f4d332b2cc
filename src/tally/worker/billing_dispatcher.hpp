// The billing worker's send loop (job "billing_ledger"): claims due ledger rows with a database lease
// (FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite; one row in flight per company,
// in id order, so a cancel never overtakes the create it cancels), calls the platform outside any
// transaction, and records the outcome fenced by (lease_owner, attempts).
// Never a duplicate: a row that was sent before (attempts > 1) or whose create came back ambiguous
// (account.ambiguous_outcome, 5xx) is first looked up among the group's bills by its reference; only
// when the platform has none is it created again. Transport errors and 5xx retry with full-jitter
// backoff up to settings.max_attempts; a rejection (400/401/422) marks the row failed with the reason.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "mno/account/account_client.hpp"
#include "mno/config/registry.hpp"
#include "mno/db/database.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/billing.hpp"

namespace tally {

struct BillingDispatcherOptions {
  std::string owner;  // lease owner id, unique per process and thread ("" = random)
  int batch = 20;     // rows claimed per round
  // Account API client options (timeouts, GET retries). clock/random are filled from the dispatcher's.
  mno::account::ClientOptions client;
};

class BillingDispatcher {
 public:
  // http() is asked at each round (nullptr: platform unreachable, rows wait and retry).
  BillingDispatcher(mno::db::Database& db, const mno::Clock& clock, mno::Random& random,
                    const mno::config::Registry& registry, std::function<std::shared_ptr<mno::http::HttpClient>()> http,
                    std::function<const BillingSettings&()> settings, BillingDispatcherOptions options = {});

  // One round: claims up to options.batch due rows and sends them. Returns rows handled.
  mno::Result<int> run_once();

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  mno::Random& random_;
  const mno::config::Registry& registry_;
  std::function<std::shared_ptr<mno::http::HttpClient>()> http_;
  std::function<const BillingSettings&()> settings_;
  BillingDispatcherOptions options_;
};

}  // namespace tally
