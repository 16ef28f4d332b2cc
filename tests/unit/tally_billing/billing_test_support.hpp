// Shared fixture of the Tally billing tests: the app harness with two marketplaces (so tenant binding
// of the webhooks is testable), an in-memory Account API behind a FakeHttpClient, a BillingDispatcher
// on the harness's ManualClock, and helpers to provision marketplace companies and members.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "fake_account_platform.hpp"
#include "mno/config/marketplace.hpp"
#include "support/app/app_harness.hpp"
#include "support/test_database.hpp"
#include "tally/domain/customer.hpp"
#include "tally/domain/sso_provisioning.hpp"
#include "tally/worker/billing_dispatcher.hpp"

namespace billingtest {

inline constexpr const char* kMarket = "mkt-a";
inline constexpr const char* kOther = "mkt-b";
inline constexpr const char* kApiBase = "http://platform.test/api/v1/";

mno::config::Marketplace test_marketplace(const std::string& name, const std::string& api_id, const std::string& api_key,
                                          const std::string& creation_mode = "real");

struct Member {
  std::string uid = "usr-1";
  std::string email = "ann@example.com";
  std::string role = "Admin";
};

tally::CustomerInput customer_named(const std::string& name);

class BillingTest : public testenv::DatabaseTest {
 protected:
  void SetUp() override;

  // First SSO of a member of `group` (trial_end nullopt: the platform sent none usable), then the
  // on_company_created hook as the ACS runs it.
  tally::SsoProvisioned provision(const std::string& group, const Member& m = Member(),
                                  std::optional<mno::TimePoint> trial_end = std::nullopt,
                                  const std::string& currency = "EUR", const std::string& market = kMarket);
  // Runs the dispatcher until nothing is due, advancing the clock past backoff waits. Rows handled.
  int drain();
  std::vector<tally::Charge> ledger(int64_t company_id);
  std::optional<tally::Subscription> subscription(int64_t company_id);
  int64_t count(const std::string& sql);
  // DELETE on a webhook path with Basic credentials ("" = no Authorization header).
  mno::http::Response webhook(const std::string& path, const std::string& user, const std::string& password);

  std::unique_ptr<testenv::AppHarness> app;
  std::shared_ptr<mno::http::FakeHttpClient> http;
  std::unique_ptr<FakeAccountPlatform> platform;
  std::unique_ptr<tally::BillingDispatcher> dispatcher;
  mno::config::Marketplace market;
  mno::config::Marketplace other;
};

}  // namespace billingtest
