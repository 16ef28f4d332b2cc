// Tests of the Refresher: one round at a time through refresh_now() (no sleeping), a failed or empty
// round keeps the old set, and the background thread stops promptly.
#include <gtest/gtest.h>

#include <thread>

#include "fixtures.hpp"
#include "mno/config/marketplace_json.hpp"
#include "mno/config/refresher.hpp"
#include "mno/http/fake_http_client.hpp"

using namespace mno::config;
using mno::http::FakeHttpClient;

namespace {
const std::string kUrl = "https://developer.example.com/api/config/v1/marketplaces";
DevPlatformSettings settings() {
  DevPlatformSettings s;
  s.host = "https://developer.example.com";
  s.env_key = "k";
  s.env_secret = "s";
  return s;
}
}  // namespace

TEST(Refresher, PicksUpNewSetAndKeepsOldOnFailure) {
  FakeHttpClient fake;
  fake.on("GET", kUrl, FakeHttpClient::json_response(200, fixtures::document({fixtures::marketplace("a")})));
  fake.on("GET", kUrl, FakeHttpClient::text_response(500, "down"));
  fake.on("GET", kUrl, mno::make_error("http.timeout", "slow"));
  fake.on("GET", kUrl, FakeHttpClient::text_response(200, "not json"));
  fake.on("GET", kUrl, FakeHttpClient::json_response(200, fixtures::document({fixtures::marketplace("a"), fixtures::marketplace("b", "app-2", "k2")})));

  Registry registry;
  Refresher refresher(registry, fake, settings());
  ASSERT_TRUE(refresher.refresh_now().ok());
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a"}));
  EXPECT_FALSE(refresher.last_error().has_value());

  EXPECT_EQ(refresher.refresh_now().error().code, "config.devpl_status");
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a"}));
  ASSERT_TRUE(refresher.last_error().has_value());
  EXPECT_EQ(refresher.last_error()->code, "config.devpl_status");

  EXPECT_EQ(refresher.refresh_now().error().code, "config.devpl_unreachable");
  EXPECT_EQ(refresher.refresh_now().error().code, "config.invalid_json");
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a"}));

  ASSERT_TRUE(refresher.refresh_now().ok());
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(refresher.last_error().has_value());
}

TEST(Refresher, EmptyListDoesNotWipeConfiguredMarketplaces) {
  Registry registry;
  int round = 0;
  Refresher refresher(registry, [&]() -> mno::Result<std::vector<Marketplace>> {
    if (round++ == 0) return marketplaces_from_json(fixtures::document({fixtures::marketplace("a")}).dump());
    return std::vector<Marketplace>{};
  });
  ASSERT_TRUE(refresher.refresh_now().ok());
  EXPECT_EQ(refresher.refresh_now().error().code, "config.refresh_empty");
  EXPECT_EQ(registry.size(), 1u);
}

TEST(Refresher, ThrowingFetchIsAnError) {
  Registry registry;
  Refresher refresher(registry, []() -> mno::Result<std::vector<Marketplace>> { throw std::runtime_error("bug"); });
  EXPECT_EQ(refresher.refresh_now().error().code, "config.refresh_failed");
}

TEST(Refresher, StopWakesTheThreadImmediately) {
  Registry registry;
  Refresher refresher(registry, []() -> mno::Result<std::vector<Marketplace>> { return std::vector<Marketplace>{}; });
  refresher.start(std::chrono::hours(1));
  EXPECT_TRUE(refresher.running());
  auto t0 = std::chrono::steady_clock::now();
  refresher.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  EXPECT_FALSE(refresher.running());
  refresher.stop();  // idempotent
}

TEST(Refresher, BackgroundThreadRefreshes) {
  Registry registry;
  std::atomic<int> calls{0};
  auto doc = fixtures::document({fixtures::marketplace("a")}).dump();
  Refresher refresher(registry, [&]() -> mno::Result<std::vector<Marketplace>> {
    ++calls;
    return marketplaces_from_json(doc);
  });
  refresher.start(std::chrono::milliseconds(20));
  for (int i = 0; i < 200 && calls < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  refresher.stop();
  EXPECT_GE(calls.load(), 2);
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a"}));
}
