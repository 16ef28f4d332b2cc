// The Maestrano session after SSO, through the real page pipeline on SQLite and PostgreSQL: re-check
// against the platform (valid, invalid = single logout, unreachable within and beyond the grace
// period, on a ManualClock) and logout to the platform's logout URL.
#include <gtest/gtest.h>

#include "mno/sso/session_check.hpp"
#include "mno/util/iso8601.hpp"
#include "sso_test_support.hpp"
#include "tally/domain/sso_session.hpp"

using namespace ssotest;
using std::chrono::seconds;

namespace {

class SsoSession : public SsoTest {
 protected:
  void sign_in(testenv::Browser& b, const IdpUser& u = {}) {
    ASSERT_EQ(sso_login(b, u).status, 303);
    ASSERT_EQ(b.get("/app").status, 200);
    platform->clear();
  }
  mno::http::Response valid_until(mno::TimePoint t) {
    return mno::http::FakeHttpClient::json_response(200, {{"valid", true}, {"recheck", mno::format_iso8601(t)}});
  }
  std::string init_location() const { return std::string("/maestrano/auth/saml/init/") + kMarket + "?group_id=cld-1"; }
};

TEST_P(SsoSession, NothingIsAskedBeforeTheRecheckTime) {
  testenv::Browser b(app->url);
  sign_in(b);
  app->clock.advance(seconds(170));
  EXPECT_EQ(b.get("/app").status, 200);
  EXPECT_EQ(platform->request_count(), 0u);
}

TEST_P(SsoSession, ValidRecheckStoresTheNextRecheckTime) {
  testenv::Browser b(app->url);
  IdpUser u;
  sign_in(b, u);
  app->clock.advance(seconds(200));
  platform->on("GET", session_check_url(u), valid_until(app->clock.now() + seconds(600)));
  EXPECT_EQ(b.get("/app").status, 200);
  ASSERT_EQ(platform->request_count(), 1u);
  EXPECT_EQ(platform->last_request().url, "http://idp.test/api/v1/auth/saml/usr-1?session=tok-1");
  EXPECT_FALSE(platform->last_request().basic_auth) << "the session check is unauthenticated (spec 3.8)";
  app->clock.advance(seconds(300));
  EXPECT_EQ(b.get("/app").status, 200);
  EXPECT_EQ(platform->request_count(), 1u) << "next check only after the new recheck time";
  app->clock.advance(seconds(301));
  EXPECT_EQ(b.get("/app").status, 200);
  EXPECT_EQ(platform->request_count(), 2u);
}

TEST_P(SsoSession, InvalidSessionEndsTheLocalSessionAndGoesBackThroughSso) {
  testenv::Browser b(app->url);
  IdpUser u;
  sign_in(b, u);
  app->clock.advance(seconds(181));
  platform->on("GET", session_check_url(u), mno::http::FakeHttpClient::json_response(200, {{"valid", false}}));
  auto r = b.get("/app");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(*r.header("location"), init_location());
  auto after = b.get("/app");
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(after.header("location")->rfind("/login", 0), 0u) << "the local session is gone";
  // Going back through SSO works and brings a fresh Maestrano session.
  IdpUser fresh = u;
  fresh.token = "tok-2";
  ASSERT_EQ(sso_login(b, fresh).status, 303);
  EXPECT_EQ(b.get("/app").status, 200);
}

TEST_P(SsoSession, UnreachablePlatformKeepsTheSessionForTheGracePeriodFromTheFirstFailure) {
  testenv::Browser b(app->url);
  IdpUser u;
  sign_in(b, u);
  platform->on("GET", session_check_url(u), mno::make_error("http.connect", "connection refused"));
  app->clock.advance(seconds(3600));  // long past the recheck time: grace still counts from the first failure
  EXPECT_EQ(b.get("/app").status, 200);
  app->clock.advance(seconds(200));
  EXPECT_EQ(b.get("/app").status, 200);
  EXPECT_EQ(platform->request_count(), 2u) << "every page asks again during the grace period";
  app->clock.advance(seconds(99));
  EXPECT_EQ(b.get("/app").status, 200) << "299 s after the first failure: still within 300 s";
  app->clock.advance(seconds(2));
  auto r = b.get("/app");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(*r.header("location"), init_location());
}

TEST_P(SsoSession, PlatformBackDuringGraceEndsTheGrace) {
  testenv::Browser b(app->url);
  IdpUser u;
  sign_in(b, u);
  app->clock.advance(seconds(200));
  platform->on("GET", session_check_url(u), mno::make_error("http.timeout", "timed out"));
  EXPECT_EQ(b.get("/app").status, 200);
  platform->clear();
  platform->on("GET", session_check_url(u), valid_until(app->clock.now() + seconds(180)));
  app->clock.advance(seconds(250));
  EXPECT_EQ(b.get("/app").status, 200);
  // A later outage gets a full grace period again.
  platform->clear();
  platform->on("GET", session_check_url(u), mno::make_error("http.timeout", "timed out"));
  app->clock.advance(seconds(200));
  EXPECT_EQ(b.get("/app").status, 200);
  app->clock.advance(seconds(250));
  EXPECT_EQ(b.get("/app").status, 200);
}

TEST_P(SsoSession, GracePeriodFollowsTheMarketplaceSetting) {
  market.sso.recheck_grace = seconds(10);
  app->registry.replace({market});
  testenv::Browser b(app->url);
  IdpUser u;
  sign_in(b, u);
  platform->on("GET", session_check_url(u), mno::make_error("http.connect", "refused"));
  app->clock.advance(seconds(200));
  EXPECT_EQ(b.get("/app").status, 200);
  app->clock.advance(seconds(11));
  EXPECT_EQ(b.get("/app").status, 303);
}

TEST_P(SsoSession, LocalUsersAreNeverRechecked) {
  auto acct = app->create_account("local@example.com");
  testenv::Browser b(app->url);
  ASSERT_TRUE(b.login(acct.email, acct.password));
  app->clock.advance(seconds(3600));
  EXPECT_EQ(b.get("/app").status, 200);
  EXPECT_EQ(platform->request_count(), 0u);
}

TEST_P(SsoSession, LogoutOfAnSsoUserGoesToThePlatformLogout) {
  testenv::Browser b(app->url);
  sign_in(b);
  auto r = b.post_form("/logout", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(*r.header("location"), mno::sso::logout_url(market, "usr-1"));
  EXPECT_EQ(*r.header("location"), "http://idp.test/app_logout?user_uid=usr-1");
  EXPECT_EQ(b.get("/app").status, 303);
}

TEST_P(SsoSession, LogoutOfALocalUserIsUnchanged) {
  auto acct = app->create_account("local@example.com");
  testenv::Browser b(app->url);
  ASSERT_TRUE(b.login(acct.email, acct.password));
  b.get("/app");
  auto r = b.post_form("/logout", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(*r.header("location"), "/login");
}

TALLY_INSTANTIATE_DATABASE_TESTS(SsoSession);

// The policy itself, without HTTP.
TEST(SsoSessionPolicy, StoresLoadsAndClearsTheMaestranoSession) {
  tally::SessionData d{{"user_id", "7"}};
  EXPECT_FALSE(tally::load_mno_session(d));
  mno::sso::MnoSession s{"mkt", "usr-1", "tok", mno::TimePoint{seconds(1'800'000'000)}, "cld-1"};
  tally::store_mno_session(d, s);
  auto back = tally::load_mno_session(d);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->marketplace, "mkt");
  EXPECT_EQ(back->token, "tok");
  EXPECT_EQ(back->recheck, s.recheck);
  EXPECT_EQ(back->group_uid, "cld-1");
  tally::clear_mno_session(d);
  EXPECT_FALSE(tally::load_mno_session(d));
  EXPECT_EQ(d.at("user_id"), "7");
}

TEST(SsoSessionPolicy, UnknownMarketplaceOrNoClient) {
  mno::ManualClock clock;
  tally::SessionData d;
  tally::store_mno_session(d, {"mkt", "usr-1", "tok", clock.now() - seconds(1), "cld-1"});
  EXPECT_EQ(tally::recheck_mno_session(d, nullptr, nullptr, clock).decision, mno::sso::SessionDecision::reauthenticate);
  auto m = sandbox_marketplace("http://app.test");
  auto r = tally::recheck_mno_session(d, &m, nullptr, clock);
  EXPECT_EQ(r.decision, mno::sso::SessionDecision::keep_in_grace);
  EXPECT_TRUE(r.data_changed);
  clock.advance(seconds(301));
  EXPECT_EQ(tally::recheck_mno_session(d, &m, nullptr, clock).decision, mno::sso::SessionDecision::reauthenticate);
  m.sso.slo_enabled = false;
  EXPECT_EQ(tally::recheck_mno_session(d, &m, nullptr, clock).decision, mno::sso::SessionDecision::keep);
}

TEST(SsoSessionPolicy, InitLocation) {
  auto m = sandbox_marketplace("http://app.test");
  EXPECT_EQ(tally::sso_init_location(m, "cld 1"), "/maestrano/auth/saml/init/maestrano-sandbox?group_id=cld%201");
  m.sso.init_path = "https://evil.example/x";
  EXPECT_EQ(tally::sso_init_location(m), "/maestrano/auth/saml/init/maestrano-sandbox");
  m.sso.init_path = "//evil.example/x";
  EXPECT_EQ(tally::sso_init_location(m), "/maestrano/auth/saml/init/maestrano-sandbox");
}

}  // namespace
