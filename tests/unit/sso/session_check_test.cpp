// Session re-check (spec 3.8) against FakeHttpClient: valid, invalid, unreachable with grace; URLs.
#include <gtest/gtest.h>

#include "mno/http/fake_http_client.hpp"
#include "mno/sso/redirect.hpp"
#include "mno/sso/session_check.hpp"
#include "mno/util/iso8601.hpp"

using namespace mno::sso;
using mno::http::FakeHttpClient;

namespace {

mno::config::Marketplace market() {
  mno::config::Marketplace m;
  m.name = "mkt";
  m.api.host = "https://hub.example.com";
  m.api.base = "/api/v1/";
  m.sso.recheck_grace = std::chrono::seconds(300);
  return m;
}

class SessionCheckTest : public ::testing::Test {
 protected:
  mno::ManualClock clock;
  FakeHttpClient http;
  mno::config::Marketplace m = market();
  SessionChecker checker{m, http, clock};
  MnoSession session() {
    return MnoSession{"mkt", "usr-1", "tok/1?&#", clock.now() - std::chrono::seconds(1), "cld-1"};
  }
  std::string url() { return "https://hub.example.com/api/v1/auth/saml/usr-1?session=tok%2F1%3F%26%23"; }
};

}  // namespace

TEST_F(SessionCheckTest, UrlsEncodeEachComponent) {
  EXPECT_EQ(session_check_url(m, "usr-1", "tok/1?&#"), url());
  EXPECT_EQ(session_check_url(m, "a/b", "x"), "https://hub.example.com/api/v1/auth/saml/a%2Fb?session=x");
  EXPECT_EQ(logout_url(m, "usr 1"), "https://hub.example.com/app_logout?user_uid=usr%201");
  EXPECT_EQ(logout_url(m, ""), "https://hub.example.com/app_logout");
  EXPECT_EQ(unauthorized_url(m), "https://hub.example.com/app_access_unauthorized");
}

TEST_F(SessionCheckTest, NoCheckBeforeRecheckTime) {
  auto s = session();
  s.recheck = clock.now() + std::chrono::minutes(2);
  EXPECT_EQ(checker.evaluate(s), SessionDecision::keep);
  EXPECT_EQ(http.request_count(), 0u);
}

TEST_F(SessionCheckTest, ValidUpdatesRecheck) {
  http.on("GET", url(), FakeHttpClient::json_response(200, {{"valid", true}, {"recheck", "2027-01-15T08:03:00Z"}}));
  auto s = session();
  CheckResult detail;
  EXPECT_EQ(checker.evaluate(s, &detail), SessionDecision::keep);
  EXPECT_EQ(detail.outcome, CheckOutcome::valid);
  EXPECT_EQ(mno::format_iso8601(s.recheck), "2027-01-15T08:03:00Z");
  EXPECT_FALSE(http.last_request().basic_auth.has_value());  // the endpoint is unauthenticated
}

TEST_F(SessionCheckTest, InvalidMeansReauthenticate) {
  http.on("GET", url(), FakeHttpClient::json_response(200, {{"valid", false}, {"recheck", "2027-01-15T08:03:00Z"}}));
  auto s = session();
  EXPECT_EQ(checker.evaluate(s), SessionDecision::reauthenticate);
  http.clear();
  http.on("GET", url(), FakeHttpClient::text_response(404, "not found"));
  EXPECT_EQ(checker.check(s).outcome, CheckOutcome::invalid);
}

TEST_F(SessionCheckTest, UnreachableKeepsSessionOnlyWithinGrace) {
  http.on("GET", url(), mno::make_error("http.connect", "refused"));
  auto s = session();
  CheckResult detail;
  EXPECT_EQ(checker.evaluate(s, &detail), SessionDecision::keep_in_grace);
  EXPECT_EQ(detail.outcome, CheckOutcome::unreachable);
  EXPECT_EQ(detail.reason, "sso.check_transport");
  clock.advance(std::chrono::seconds(300));
  EXPECT_EQ(checker.evaluate(s), SessionDecision::reauthenticate);
}

TEST_F(SessionCheckTest, ServerErrorsAndGarbageCountAsUnreachable) {
  auto s = session();
  http.on("GET", url(), FakeHttpClient::text_response(503, "down"));
  EXPECT_EQ(checker.check(s).reason, "sso.check_status");
  http.clear();
  http.on("GET", url(), FakeHttpClient::text_response(200, "<html>"));
  EXPECT_EQ(checker.check(s).reason, "sso.check_bad_response");
  http.clear();
  http.on("GET", url(), FakeHttpClient::json_response(200, {{"valid", true}, {"recheck", "soon"}}));
  EXPECT_EQ(checker.check(s).outcome, CheckOutcome::unreachable);
}

TEST_F(SessionCheckTest, MissingTokenIsInvalidWithoutACall) {
  auto s = session();
  s.token.clear();
  EXPECT_EQ(checker.evaluate(s), SessionDecision::reauthenticate);
  EXPECT_EQ(http.request_count(), 0u);
}

TEST(RedirectTest, OnlyLocalPaths) {
  EXPECT_EQ(safe_redirect_path("/x"), "/x");
  EXPECT_EQ(safe_redirect_path("x"), "/");
  EXPECT_EQ(safe_redirect_path("javascript:alert(1)"), "/");
  EXPECT_EQ(safe_redirect_path("/x\r\nSet-Cookie: a"), "/");
}
