// Single sign-on end to end over loopback, on SQLite and PostgreSQL: a real mno-sandbox and a real
// tally process, and a cookie-keeping HTTP client that behaves like a browser: it opens Tally's init
// URL, follows the 302 to the IdP, picks the group where the IdP asks, reads the auto-submitting form
// and POSTs it to the ACS, then follows into the app. Each scenario checks what the user sees and
// what Tally created (or did not) in its database: checklist 1.2.1-1.4.1, single logout after the
// platform regenerates the session token, the grace period while the platform is unreachable, the
// IdP's 403 for a user without a group, and the no-access page of a removed user / cancelled company.
// The IdP login comes from the sandbox control API (POST /control/v1/idp-login) instead of its user
// picker. Time: the sandbox's IdP clock runs 170 s behind, so the session's re-check time is already
// due at the first page (no waiting for it), and Tally's sso.recheck_grace is 1 s.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "mno/db/database.hpp"
#include "support/platform/browser.hpp"
#include "support/platform/platform_fixture.hpp"
#include "support/test_database.hpp"
#include "support/test_env.hpp"
#include "web/url.hpp"

using namespace testenv;

namespace {

constexpr const char* kMarket = "maestrano-sandbox";

class SsoEndToEnd : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = create_test_database(GetParam());
    if (!db_.db) {
      if (GetParam() == "postgresql" && (postgres_required() || !db_.error.empty()))
        FAIL() << "PostgreSQL required: " << (db_.error.empty() ? "TALLY_TEST_PG_URL is not set" : db_.error);
      if (!db_.error.empty()) FAIL() << db_.error;
      GTEST_SKIP() << "PostgreSQL not configured (TALLY_TEST_PG_URL)";
    }
    tally_port_ = free_port();
    tally_url_ = "http://127.0.0.1:" + std::to_string(tally_port_);
    sandbox_ = start_sandbox(tally_url_);
    ASSERT_TRUE(sandbox_);
    // The IdP clock 170 s behind: mno_session_recheck is in the past at once; the assertion stays
    // within Tally's 180 s clock skew.
    sandbox_put("/control/v1/marketplaces/maestrano-sandbox/idp-options", {{"clock_offset_seconds", -170}, {"recheck_seconds", 1}});
    start_tally();
  }

  void start_tally() {
    // The sandbox's marketplaces as a file, with Tally's own grace setting shortened.
    nlohmann::json file{{"marketplaces", nlohmann::json::array()}};
    for (const char* name : {"maestrano-sandbox", "partner-market"}) {
      auto m = nlohmann::json::parse(http_get(sandbox_->url + "/control/v1/marketplaces/" + name).body);
      m["sso"]["recheck_grace"] = 1;
      file["marketplaces"].push_back(m);
    }
    const std::string dir = temp_dir("sso-e2e");
    std::ofstream(dir + "/marketplaces.json") << file.dump();
    tally_ = std::make_unique<Process>(
        TALLY_BIN,
        std::vector<std::string>{"serve", "--port", std::to_string(tally_port_), "--database", db_.url, "--marketplaces",
                                 dir + "/marketplaces.json", "--log-level", "warn", "--no-worker"},
        std::map<std::string, std::string>{}, dir + "/tally.log");
    ASSERT_TRUE(tally_->wait_for_port(tally_port_)) << "tally did not start:\n" << tally_->output();
  }

  void sandbox_put(const std::string& path, const nlohmann::json& body) { sandbox_send("PUT", path, body); }
  mno::http::Response sandbox_send(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr) {
    return sandbox_control(*sandbox_, method, path, body);
  }

  // Signs the browser in at the IdP as this user (what the user picker would do).
  void idp_login(Browser& b, const std::string& user_uid) { b.idp_login(*sandbox_, user_uid); }

  // The marketplace launching Tally for this group: init → IdP → (group) → ACS → app.
  Browser::Page launch(Browser& b, const std::string& group_uid, const std::string& pick_group = "") {
    return b.launch(tally_url_, kMarket, group_uid, pick_group);
  }
  Browser::Page sso(const std::string& user_uid, const std::string& group_uid, Browser& b) {
    idp_login(b, user_uid);
    return launch(b, group_uid);
  }
  Browser::Page sso(const std::string& user_uid, const std::string& group_uid) {
    Browser b;
    return sso(user_uid, group_uid, b);
  }
  // The sandbox's SQLite file, from its command line (the fixture does not keep it).
  std::string sandbox_db_path() {
    std::ifstream in("/proc/" + std::to_string(sandbox_->process->pid()) + "/cmdline", std::ios::binary);
    std::vector<std::string> args;
    for (std::string a; std::getline(in, a, '\0');) args.push_back(a);
    for (size_t i = 0; i + 1 < args.size(); ++i)
      if (args[i] == "--database" && args[i + 1].rfind("sqlite:", 0) == 0) return args[i + 1].substr(7);
    ADD_FAILURE() << "no --database sqlite: in the sandbox's command line";
    return "";
  }

  // Tally's database as the test sees it.
  std::vector<mno::db::Row> rows(const std::string& sql, const std::vector<mno::db::Value>& params = {}) {
    auto r = db_.db->query(sql, params);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : std::vector<mno::db::Row>{};
  }
  int64_t count(const std::string& table) { return rows("SELECT COUNT(*) AS n FROM " + table)[0].i64("n"); }
  std::optional<mno::db::Row> user_by_uid(const std::string& uid) {
    auto r = rows("SELECT u.id, u.email, u.first_name, u.last_name FROM users u JOIN user_identities i ON i.user_id = u.id "
                  "WHERE i.marketplace = $1 AND i.uid = $2", {kMarket, uid});
    return r.empty() ? std::nullopt : std::optional(r[0]);
  }
  std::optional<mno::db::Row> company_by_group(const std::string& group_uid) {
    auto r = rows("SELECT id, name, currency, timezone, status FROM companies WHERE marketplace = $1 AND external_uid = $2",
                  {kMarket, group_uid});
    return r.empty() ? std::nullopt : std::optional(r[0]);
  }
  std::string role_of(int64_t user_id, int64_t company_id) {
    auto r = rows("SELECT role, status FROM memberships WHERE user_id = $1 AND company_id = $2", {user_id, company_id});
    return r.empty() ? "<none>" : r[0].text("role") + "/" + r[0].text("status");
  }
  static bool shows(const Browser::Page& p, const std::string& text) { return p.body().find(text) != std::string::npos; }
  bool in_app(const Browser::Page& p) { return p.status() == 200 && p.url.rfind(tally_url_ + "/app", 0) == 0; }

  TestDatabase db_;
  uint16_t tally_port_ = 0;
  std::string tally_url_;
  std::unique_ptr<SandboxProcess> sandbox_;
  std::unique_ptr<Process> tally_;
};

TEST_P(SsoEndToEnd, NewGroupCreatesTheCompanyAndTheUserLandsInIt) {  // 1.2.1, 1.2.3
  Browser b;
  auto page = sso("usr-1", "cld-1", b);
  ASSERT_TRUE(in_app(page)) << page.url << " " << page.status() << "\n" << page.body();
  EXPECT_TRUE(shows(page, "Doe Corp")) << "the company the group became";
  auto company = company_by_group("cld-1");
  ASSERT_TRUE(company);
  EXPECT_EQ(company->text("name"), "Doe Corp");
  EXPECT_EQ(company->text("currency"), "USD");
  EXPECT_EQ(company->text("timezone"), "America/Los_Angeles");
  EXPECT_EQ(company->text("status"), "trialing");
  auto user = user_by_uid("usr-1");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->text("email"), "john.doe@example.com");
  EXPECT_EQ(user->text("first_name"), "John");
  EXPECT_EQ(role_of(user->i64("id"), company->i64("id")), "admin/active");
  EXPECT_EQ(count("companies"), 1);
  EXPECT_EQ(count("users"), 1);
  // Signed in: another page of the app works without going back to the IdP.
  auto again = b.go("GET", tally_url_ + "/app");
  EXPECT_TRUE(in_app(again));
}

TEST_P(SsoEndToEnd, NewUserJoinsAKnownCompanyAndAUserWithTwoGroupsPicksOne) {  // 1.2.2, 1.2.3
  ASSERT_TRUE(in_app(sso("usr-1", "cld-1")));
  // usr-2 is in cld-1 (Member) and cld-2 (Super Admin): launched without a group, the IdP asks.
  Browser b;
  idp_login(b, "usr-2");
  auto picked = launch(b, "", "cld-1");
  ASSERT_TRUE(in_app(picked)) << picked.url << "\n" << picked.body();
  EXPECT_TRUE(shows(picked, "Doe Corp"));
  auto doe = company_by_group("cld-1");
  auto jane = user_by_uid("usr-2");
  ASSERT_TRUE(doe && jane);
  EXPECT_EQ(role_of(jane->i64("id"), doe->i64("id")), "member/active");
  EXPECT_EQ(count("companies"), 1) << "the known company was reused";
  // The same user into the other group: a new company, a second membership, still one user.
  Browser b2;
  idp_login(b2, "usr-2");
  auto second = launch(b2, "cld-2");
  ASSERT_TRUE(in_app(second)) << second.body();
  EXPECT_TRUE(shows(second, "Roe Works"));
  auto roe = company_by_group("cld-2");
  ASSERT_TRUE(roe);
  EXPECT_EQ(role_of(jane->i64("id"), roe->i64("id")), "super_admin/active");
  EXPECT_EQ(count("users"), 2);
  EXPECT_EQ(count("companies"), 2);
}

TEST_P(SsoEndToEnd, KnownUserFollowsNameEmailAndRoleChangesOfThePlatform) {  // 1.3.1
  ASSERT_TRUE(in_app(sso("usr-3", "cld-2")));
  auto before = user_by_uid("usr-3");
  ASSERT_TRUE(before);
  // The platform changes the user's name and email (a new directory user cannot be renamed through
  // the control API, so the test edits the sandbox's directory rows) and the role.
  sandbox_put("/control/v1/groups/cld-2/users/usr-3", {{"role", "Admin"}});
  auto sdb = mno::db::open_database("sqlite:" + sandbox_db_path());
  ASSERT_TRUE(sdb.ok()) << sdb.error().message;
  ASSERT_TRUE((*sdb)->execute("UPDATE directory_users SET first_name = 'Ahmad', email = 'ahmad@example.com' WHERE uid = 'usr-3'").ok());
  Browser b;
  auto page = sso("usr-3", "cld-2", b);
  ASSERT_TRUE(in_app(page)) << page.body();
  auto after = user_by_uid("usr-3");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->i64("id"), before->i64("id")) << "the same local user";
  EXPECT_EQ(after->text("first_name"), "Ahmad");
  EXPECT_EQ(after->text("email"), "ahmad@example.com");
  EXPECT_EQ(role_of(after->i64("id"), company_by_group("cld-2")->i64("id")), "admin/active");
  EXPECT_EQ(count("users"), 1);
}

TEST_P(SsoEndToEnd, ExistingLocalUserIsMigratedByEmailButNotWhenAmbiguous) {  // 1.4.1
  // John signed up to Tally on his own before the marketplace existed.
  Browser local;
  auto signup_page = local.go("GET", tally_url_ + "/signup");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(signup_page.body(), m, std::regex("name=\"_csrf\" value=\"([^\"]+)\"")));
  auto signed_up = local.go("POST", tally_url_ + "/signup",
                            "_csrf=" + web::url_encode(m[1].str()) +
                                "&email=John.Doe%40example.com&password=correct-horse-battery&first_name=John&last_name=Doe"
                                "&company_name=John+Local&currency=USD&timezone=UTC&country=AU",
                            "application/x-www-form-urlencoded");
  ASSERT_TRUE(in_app(signed_up)) << signed_up.body();
  auto local_id = rows("SELECT id FROM users")[0].i64("id");

  Browser b;
  auto page = sso("usr-1", "cld-1", b);
  ASSERT_TRUE(in_app(page)) << page.body();
  auto linked = user_by_uid("usr-1");
  ASSERT_TRUE(linked);
  EXPECT_EQ(linked->i64("id"), local_id) << "the uid was linked to the existing account (case-insensitive email)";
  EXPECT_EQ(count("users"), 1);
  EXPECT_EQ(role_of(local_id, company_by_group("cld-1")->i64("id")), "admin/active");

  // Ambiguous: another platform user with the same email, while that account is already linked to
  // usr-1. No takeover: a separate user with the placeholder address.
  sandbox_send("POST", "/control/v1/users", {{"uid", "usr-9"}, {"first_name", "Johnny"}, {"last_name", "Doe"}, {"email", "john.doe@example.com"}});
  sandbox_put("/control/v1/groups/cld-1/users/usr-9", {{"role", "Member"}});
  Browser b9;
  auto other = sso("usr-9", "cld-1", b9);
  ASSERT_TRUE(in_app(other)) << other.body();
  auto separate = user_by_uid("usr-9");
  ASSERT_TRUE(separate);
  EXPECT_NE(separate->i64("id"), local_id);
  EXPECT_EQ(separate->text("email"), "usr-9.maestrano-sandbox@sso.invalid");
  EXPECT_EQ(count("users"), 2);
}

TEST_P(SsoEndToEnd, SingleLogoutAfterThePlatformRegeneratesTheSessionToken) {
  Browser b;
  auto page = sso("usr-1", "cld-1", b);
  ASSERT_TRUE(in_app(page)) << page.body();
  // The re-check was due at once (IdP clock behind) and the platform said valid: still in.
  auto checks = [&] {
    auto j = nlohmann::json::parse(http_get(sandbox_->url + "/control/v1/requests?endpoint=idp.session_check").body);
    return j["requests"].size();
  };
  EXPECT_GE(checks(), 1u) << "Tally asked the platform";
  sandbox_send("POST", "/control/v1/users/usr-1/regenerate-session");
  // The next re-check (now + 1 s, the sandbox's interval) answers invalid: back through SSO.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto r = b.send("GET", tally_url_ + "/app");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(*r.header("location"), "/maestrano/auth/saml/init/maestrano-sandbox?group_id=cld-1");
  EXPECT_EQ(b.send("GET", tally_url_ + "/app").status, 303) << "the local session has ended";
  // Following it signs the user in again with the new token (the IdP login is still there).
  auto back = b.complete_sso(b.go("GET", tally_url_ + *r.header("location")));
  EXPECT_TRUE(in_app(back)) << back.body();
}

TEST_P(SsoEndToEnd, UnreachablePlatformKeepsTheSessionForTheGracePeriodThenRequiresSso) {
  Browser b;
  auto page = sso("usr-1", "cld-1", b);
  ASSERT_TRUE(in_app(page)) << page.body();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // next re-check due
  sandbox_->process->stop();
  auto during = b.send("GET", tally_url_ + "/app");
  EXPECT_EQ(during.status, 200) << "kept during the grace period";
  EXPECT_NE(during.body.find("Doe Corp"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // sso.recheck_grace = 1 s
  auto after = b.send("GET", tally_url_ + "/app");
  ASSERT_EQ(after.status, 303);
  EXPECT_EQ(*after.header("location"), "/maestrano/auth/saml/init/maestrano-sandbox?group_id=cld-1");
  EXPECT_EQ(b.send("GET", tally_url_ + "/app").status, 303);
}

TEST_P(SsoEndToEnd, UserWithoutAGroupForTheAppGetsTheIdpAccessDenied) {
  Browser b;
  auto page = sso("usr-4", "", b);
  EXPECT_EQ(page.status(), 403);
  EXPECT_EQ(origin_of(page.url), sandbox_->url) << "the user stays at the IdP";
  EXPECT_TRUE(shows(page, "Access denied")) << page.body();
  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(count("companies"), 0);
  EXPECT_EQ(b.send("GET", tally_url_ + "/app").status, 303) << "not signed in to Tally";
}

TEST_P(SsoEndToEnd, RemovedUserAndCancelledCompanySeeTheExplanatoryPage) {
  Browser b;
  ASSERT_TRUE(in_app(sso("usr-1", "cld-1", b)));
  auto company = company_by_group("cld-1");
  auto user = user_by_uid("usr-1");
  ASSERT_TRUE(company && user);
  // The effect of the platform's "group cancelled" webhook (the account webhooks are tested on their own).
  ASSERT_TRUE(db_.db->execute("UPDATE companies SET status = 'cancelled' WHERE id = $1", {company->i64("id")}).ok());
  auto cancelled = b.go("GET", tally_url_ + "/app");
  EXPECT_EQ(cancelled.status(), 403);
  EXPECT_TRUE(shows(cancelled, "You no longer have access to this company")) << cancelled.body();
  ASSERT_TRUE(db_.db->execute("UPDATE companies SET status = 'active' WHERE id = $1", {company->i64("id")}).ok());
  EXPECT_TRUE(in_app(b.go("GET", tally_url_ + "/app")));

  // usr-2 removed from the group: Tally's membership revoked (the "user removed" webhook's effect).
  Browser b2;
  ASSERT_TRUE(in_app(sso("usr-2", "cld-1", b2)));
  auto jane = user_by_uid("usr-2");
  ASSERT_TRUE(jane);
  ASSERT_TRUE(db_.db->execute("UPDATE memberships SET status = 'revoked' WHERE user_id = $1", {jane->i64("id")}).ok());
  auto removed = b2.go("GET", tally_url_ + "/app");
  EXPECT_EQ(removed.status(), 403);
  EXPECT_TRUE(shows(removed, "You no longer have access to this company"));
  EXPECT_TRUE(shows(removed, "You are not a member of any other company"));
}

// Checklist 2.2.1 and 2.2.2 across the two real processes: the sandbox's admin actions send the DELETE
// webhooks with the marketplace credentials, and Tally applies them at once.
TEST_P(SsoEndToEnd, PlatformWebhooksFromTheSandboxEndAccessAtOnce) {
  Browser b, b2;
  ASSERT_TRUE(in_app(sso("usr-1", "cld-1", b)));
  ASSERT_TRUE(in_app(sso("usr-2", "cld-1", b2)));
  auto delivered = [&](const mno::http::Response& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    auto id = nlohmann::json::parse(r.body)["delivery"]["id"].get<int64_t>();
    sandbox_send("POST", "/control/v1/deliveries/run");
    auto d = nlohmann::json::parse(http_get(sandbox_->url + "/control/v1/deliveries/" + std::to_string(id)).body);
    EXPECT_EQ(d["state"], "delivered") << d.dump();
    EXPECT_EQ(d["last_status"], 200) << d.dump();
  };

  delivered(sandbox_send("POST", "/control/v1/groups/cld-1/users/usr-2/remove"));
  auto removed = b2.go("GET", tally_url_ + "/app");
  EXPECT_EQ(removed.status(), 403);
  EXPECT_TRUE(shows(removed, "You no longer have access to this company")) << removed.body();
  EXPECT_TRUE(in_app(b.go("GET", tally_url_ + "/app")));  // the others keep their access

  delivered(sandbox_send("POST", "/control/v1/groups/cld-1/cancel"));
  auto cancelled = b.go("GET", tally_url_ + "/app");
  EXPECT_EQ(cancelled.status(), 403);
  EXPECT_TRUE(shows(cancelled, "You no longer have access to this company")) << cancelled.body();
  auto company = company_by_group("cld-1");
  ASSERT_TRUE(company);
  EXPECT_EQ(company->text("status"), "cancelled");
}

INSTANTIATE_TEST_SUITE_P(Backends, SsoEndToEnd, ::testing::Values("sqlite", "postgresql"), DatabaseKindName{});

}  // namespace
