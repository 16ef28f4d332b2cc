// The ACS rate limit per client IP (security.md 1.4 step 1; acs_rate_limit.hpp), on SQLite and
// PostgreSQL: rejected consumes are counted per IP in the database, the limit answers 429 with a
// page and Retry-After before any parsing, successful sign-ins are never counted, a second Tally
// process on the same database sees the same count, and the window is measured on the injected clock.
#include <gtest/gtest.h>

#include "sso_test_support.hpp"
#include "tally/domain/acs_rate_limit.hpp"
#include "tally/domain/login_throttle.hpp"

using namespace ssotest;

namespace {

class AcsRateLimitTest : public SsoTest {
 protected:
  void SetUp() override {
    SsoTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    app->services->acs_rate_limit.set_policy({3, std::chrono::seconds(600)});
    // Rows store whole seconds: a whole-second clock makes the Retry-After values exact.
    app->clock.set(std::chrono::time_point_cast<std::chrono::seconds>(app->clock.now()));
  }
  mno::http::Response garbage(testenv::Browser& b) { return post_response(b, "bm90IGEgcmVzcG9uc2U="); }
};

TEST_P(AcsRateLimitTest, RejectedConsumesFromOneIpEndIn429WithRetryAfter) {
  testenv::Browser b(app->url);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(garbage(b).status, 403) << i;
  auto r = garbage(b);
  EXPECT_EQ(r.status, 429);
  ASSERT_TRUE(r.header("retry-after"));
  EXPECT_EQ(*r.header("retry-after"), "600");
  EXPECT_NE(r.body.find("Too many sign-in attempts"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("try again in 10 minutes"), std::string::npos);
  EXPECT_EQ(r.header("x-frame-options") ? *r.header("x-frame-options") : "", "DENY") << "security headers kept";

  // Even a genuine response is refused while limited, and nothing is created.
  testenv::Browser other(app->url);
  EXPECT_EQ(sso_login(other, IdpUser{}).status, 429);
  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(count("companies"), 0);
  // The refused attempts were not counted: the wait is still measured from the first rejections.
  app->clock.advance(std::chrono::seconds(300));
  r = garbage(b);
  ASSERT_EQ(r.status, 429);
  EXPECT_EQ(*r.header("retry-after"), "300");

  app->clock.advance(std::chrono::seconds(301));
  EXPECT_EQ(sso_login(other, IdpUser{}).status, 303) << "the window has passed";
}

TEST_P(AcsRateLimitTest, SuccessfulSignInsAreNotCounted) {
  for (int i = 0; i < 6; ++i) {
    testenv::Browser b(app->url);
    IdpUser u;
    u.uid = "usr-" + std::to_string(i + 1);
    u.email = "u" + std::to_string(i) + "@example.com";
    ASSERT_EQ(sso_login(b, u).status, 303) << i;
  }
  EXPECT_EQ(count("login_failures"), 0);
}

TEST_P(AcsRateLimitTest, TheCountIsSharedThroughTheDatabaseAndPerIp) {
  testenv::Browser b(app->url);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(garbage(b).status, 403);
  // Another process = another AcsRateLimit over the same database.
  tally::AcsRateLimit second(*app->db, app->clock, {3, std::chrono::seconds(600)});
  auto s = second.check("127.0.0.1");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "sso.rate_limited");
  EXPECT_EQ(tally::retry_after_seconds(s.error()), 600);
  EXPECT_TRUE(second.check("192.0.2.7").ok()) << "another IP is not affected";
  EXPECT_TRUE(second.check("").ok()) << "no address, no limit";
  // The ACS count is its own scope: password logins from the same IP are not throttled by it.
  EXPECT_TRUE(app->services->accounts.throttle().check("ann@example.com", "127.0.0.1").ok());
  // And a rejection recorded by the other process counts here too.
  app->services->acs_rate_limit.set_policy({4, std::chrono::seconds(600)});
  EXPECT_EQ(garbage(b).status, 403);
  ASSERT_TRUE(second.record_rejection("127.0.0.1").ok());
  EXPECT_EQ(garbage(b).status, 429);
}

TEST_P(AcsRateLimitTest, ZeroMeansNoLimit) {
  app->services->acs_rate_limit.set_policy({0, std::chrono::seconds(600)});
  testenv::Browser b(app->url);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(garbage(b).status, 403);
  EXPECT_EQ(count("login_failures"), 0);
}

TALLY_INSTANTIATE_DATABASE_TESTS(AcsRateLimitTest);

}  // namespace
