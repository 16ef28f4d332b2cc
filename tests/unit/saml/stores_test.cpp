// Outstanding-request store and replay cache on SQLite and PostgreSQL: single use, session binding,
// expiry, purge, uniqueness across handles (another process's view of the same database).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "mno/db/migrations.hpp"
#include "mno/saml/replay_cache.hpp"
#include "mno/saml/request_store.hpp"
#include "support/test_database.hpp"

using namespace mno::saml;

namespace {

class SamlStoresTest : public testenv::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto migrations = request_store_migrations(101);
    for (auto& m : replay_cache_migrations(102)) migrations.push_back(m);
    ASSERT_TRUE(mno::db::migrate(database(), migrations).ok());
  }
  mno::TimePoint t0{std::chrono::seconds{1'800'000'000}};
};

}  // namespace

TEST_P(SamlStoresTest, RequestIsSingleUseAndBoundToTheSession) {
  DbRequestStore store(database_ptr());
  ASSERT_TRUE(store.remember("_r1", "sess-A", t0 + kAuthnRequestTtl).ok());
  EXPECT_TRUE(*store.is_outstanding("_r1", "sess-A", t0));
  EXPECT_FALSE(*store.is_outstanding("_r1", "sess-B", t0));
  EXPECT_EQ(store.consume("_r1", "sess-B", t0).error().code, "saml.in_response_to");
  EXPECT_TRUE(store.consume("_r1", "sess-A", t0).ok());
  EXPECT_EQ(store.consume("_r1", "sess-A", t0).error().code, "saml.in_response_to");
  EXPECT_EQ(store.consume("", "sess-A", t0).error().code, "saml.in_response_to");
}

TEST_P(SamlStoresTest, RequestExpires) {
  DbRequestStore store(database_ptr());
  ASSERT_TRUE(store.remember("_r2", "sess-A", t0 + kAuthnRequestTtl).ok());
  ASSERT_TRUE(store.remember("_r3", "sess-A", t0 + std::chrono::hours(1)).ok());
  EXPECT_EQ(store.consume("_r2", "sess-A", t0 + kAuthnRequestTtl).error().code, "saml.in_response_to");
  EXPECT_EQ(*store.purge_expired(t0 + kAuthnRequestTtl), 1);
  EXPECT_TRUE(store.consume("_r3", "sess-A", t0 + kAuthnRequestTtl).ok());
}

TEST_P(SamlStoresTest, ConcurrentConsumersOnlyOneWins) {
  DbRequestStore first(database_ptr());
  ASSERT_TRUE(first.remember("_race", "sess-A", t0 + kAuthnRequestTtl).ok());
  auto other_db = mno::db::open_database(database_url());  // a second process's connection
  ASSERT_TRUE(other_db.ok());
  DbRequestStore second(*other_db);
  std::atomic<int> wins{0};
  std::thread a([&] { if (first.consume("_race", "sess-A", t0).ok()) ++wins; });
  std::thread b([&] { if (second.consume("_race", "sess-A", t0).ok()) ++wins; });
  a.join();
  b.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST_P(SamlStoresTest, ReplayCacheUniqueAcrossHandlesAndPurged) {
  DbReplayCache cache(database_ptr());
  auto other_db = mno::db::open_database(database_url());
  ASSERT_TRUE(other_db.ok());
  DbReplayCache other(*other_db);
  ASSERT_TRUE(cache.remember("mkt", "_a1", t0 + std::chrono::minutes(5)).ok());
  EXPECT_EQ(other.remember("mkt", "_a1", t0 + std::chrono::minutes(5)).error().code, "saml.replay");
  EXPECT_TRUE(other.remember("other-mkt", "_a1", t0 + std::chrono::minutes(5)).ok());  // scopes do not collide
  ASSERT_TRUE(cache.remember("mkt", "_a2", t0 + std::chrono::minutes(60)).ok());
  EXPECT_EQ(*cache.purge_expired(t0 + std::chrono::minutes(10)), 2);
  EXPECT_EQ(cache.remember("mkt", "_a2", t0).error().code, "saml.replay");
}

TALLY_INSTANTIATE_DATABASE_TESTS(SamlStoresTest);

TEST(MemoryReplayCacheTest, RemembersAndPurges) {
  MemoryReplayCache c;
  mno::TimePoint t{std::chrono::seconds{100}};
  EXPECT_TRUE(c.remember("m", "_1", t).ok());
  EXPECT_EQ(c.remember("m", "_1", t).error().code, "saml.replay");
  EXPECT_EQ(*c.purge_expired(t), 1);
  EXPECT_TRUE(c.remember("m", "_1", t).ok());
}
