// HTTP tests of the account pages through the real route table: sign-up, login, logout, the page
// pipeline's CSRF and access rules, throttling, password change. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "support/app/app_harness.hpp"
#include "support/test_database.hpp"

using namespace testenv;

namespace {

class AuthPages : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    app = std::make_unique<AppHarness>(GetParam());
  }
  std::unique_ptr<AppHarness> app;
};

TEST_P(AuthPages, SignUpCreatesTheCompanyAndSignsIn) {
  Browser b(app->url);
  ASSERT_EQ(b.get("/signup").status, 200);
  auto r = b.post_form("/signup", {{"email", "Ann@Example.com"}, {"password", "correct-horse-1"}, {"first_name", "Ann"},
                                   {"last_name", "Lee"}, {"company_name", "Acme & Co"}, {"currency", "EUR"},
                                   {"timezone", "Europe/Paris"}, {"country", "FR"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(*r.header("location"), "/app");
  auto dash = b.get("/app");
  ASSERT_EQ(dash.status, 200);
  EXPECT_NE(dash.body.find("Acme &amp; Co"), std::string::npos) << "escaped company name";
  EXPECT_NE(dash.body.find("Ann Lee"), std::string::npos);
  EXPECT_NE(dash.body.find("Welcome to Tally"), std::string::npos);
}

TEST_P(AuthPages, SignUpErrorsAreShownPerFieldAndNothingIsCreated) {
  app->create_account("taken@example.com");
  Browser b(app->url);
  b.get("/signup");
  auto r = b.post_form("/signup", {{"email", "TAKEN@example.com"}, {"password", "short"}, {"company_name", ""},
                                   {"currency", "euro"}, {"timezone", "UTC"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("is already registered"), std::string::npos);
  EXPECT_NE(r.body.find("Password"), std::string::npos);
  EXPECT_NE(r.body.find("Currency"), std::string::npos);
  EXPECT_EQ(r.body.find("short"), std::string::npos) << "the password is never echoed back";
  auto users = app->db->query("SELECT COUNT(*) FROM users");
  ASSERT_TRUE(users);
  EXPECT_EQ(users->at(0).i64(0), 1);
}

TEST_P(AuthPages, LoginNeverSaysWhichFieldWasWrong) {
  app->create_account("bob@example.com");
  Browser b(app->url);
  b.get("/login");
  auto wrong_pw = b.post_form("/login", {{"email", "bob@example.com"}, {"password", "nope-nope-nope"}});
  b.get("/login");
  auto no_user = b.post_form("/login", {{"email", "nobody@example.com"}, {"password", "nope-nope-nope"}});
  EXPECT_EQ(wrong_pw.status, 401);
  EXPECT_EQ(no_user.status, 401);
  EXPECT_NE(wrong_pw.body.find("Email or password is incorrect."), std::string::npos);
  EXPECT_NE(no_user.body.find("Email or password is incorrect."), std::string::npos);
  EXPECT_TRUE(b.login("bob@example.com", "correct-horse-battery"));
  EXPECT_EQ(b.get("/app").status, 200);
}

TEST_P(AuthPages, LoginRotatesTheSessionAndLogoutEndsIt) {
  app->create_account("cy@example.com");
  Browser b(app->url);
  b.get("/login");
  auto before = b.cookies["tally_session"];
  ASSERT_FALSE(before.empty());
  ASSERT_TRUE(b.post_form("/login", {{"email", "cy@example.com"}, {"password", "correct-horse-battery"}}).status == 303);
  EXPECT_NE(b.cookies["tally_session"], before) << "session fixation: the id must change at login";
  b.get("/app");
  auto out = b.post_form("/logout", {});
  EXPECT_EQ(out.status, 303);
  auto after = b.get("/app");
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(after.header("location")->rfind("/login", 0), 0u);
  // The old cookie no longer opens the app either.
  Browser replay(app->url);
  replay.cookies["tally_session"] = before;
  EXPECT_EQ(replay.get("/app").status, 303);
}

TEST_P(AuthPages, EveryFormPostWithoutCsrfIsRefused) {
  app->create_account("dee@example.com");
  Browser b(app->url);
  ASSERT_TRUE(b.login("dee@example.com", "correct-horse-battery"));
  b.get("/app");
  EXPECT_EQ(b.post_form("/logout", {}, false).status, 403);
  EXPECT_EQ(b.post_form("/account/password", {{"current_password", "correct-horse-battery"}, {"new_password", "another-long-one"}}, false).status, 403);
  Browser anon(app->url);
  EXPECT_EQ(anon.post_form("/login", {{"email", "dee@example.com"}, {"password", "correct-horse-battery"}}, false).status, 403);
}

TEST_P(AuthPages, RepeatedFailuresAreThrottled) {
  app->create_account("eve@example.com");
  Browser b(app->url);
  for (int i = 0; i < 5; ++i) {
    b.get("/login");
    b.post_form("/login", {{"email", "eve@example.com"}, {"password", "wrong-wrong-wrong"}});
  }
  b.get("/login");
  auto r = b.post_form("/login", {{"email", "eve@example.com"}, {"password", "correct-horse-battery"}});
  EXPECT_EQ(r.status, 429) << "even the right password waits out the throttle";
  app->clock.advance(std::chrono::hours(1));
  EXPECT_TRUE(b.login("eve@example.com", "correct-horse-battery"));
}

TEST_P(AuthPages, PasswordChangeChecksTheCurrentOne) {
  app->create_account("fay@example.com");
  Browser b(app->url);
  ASSERT_TRUE(b.login("fay@example.com", "correct-horse-battery"));
  b.get("/account/password");
  auto bad = b.post_form("/account/password", {{"current_password", "not-it-at-all"}, {"new_password", "brand-new-password"}});
  EXPECT_EQ(bad.status, 422);
  b.get("/account/password");
  auto ok = b.post_form("/account/password", {{"current_password", "correct-horse-battery"}, {"new_password", "brand-new-password"}});
  EXPECT_EQ(ok.status, 303);
  Browser again(app->url);
  EXPECT_FALSE(again.login("fay@example.com", "correct-horse-battery"));
  EXPECT_TRUE(again.login("fay@example.com", "brand-new-password"));
}

TEST_P(AuthPages, ErrorPagesAreFriendlyAndOpenRedirectsAreRefused) {
  app->create_account("gus@example.com");
  Browser b(app->url);
  auto nf = b.get("/no/such/page");
  EXPECT_EQ(nf.status, 404);
  EXPECT_NE(nf.body.find("find that page"), std::string::npos) << "a friendly page, not the router's text";
  // The API keeps its own JSON answer for unknown paths.
  auto api = b.get("/api/v1/no-such-thing");
  EXPECT_EQ(api.status, 404);
  EXPECT_NE(api.body.find("\"error\""), std::string::npos) << api.body;
  b.get("/login");
  auto r = b.post_form("/login", {{"email", "gus@example.com"}, {"password", "correct-horse-battery"}, {"next", "//evil.example/x"}});
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(*r.header("location"), "/app");
  auto page = b.get("/app");
  EXPECT_TRUE(page.header("content-security-policy"));
  EXPECT_EQ(*page.header("x-frame-options"), "DENY");
}

TALLY_INSTANTIATE_DATABASE_TESTS(AuthPages);

}  // namespace
