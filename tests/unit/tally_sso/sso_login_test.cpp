// Single sign-on into Tally through the real routes, on SQLite and PostgreSQL: checklist 1.2 to 1.4
// (company and user provisioning, known users, migration by email), one transaction, the ACS's
// InResponseTo binding to this browser, replay, session rotation, and the routes' edges.
#include <gtest/gtest.h>

#include "sso_test_support.hpp"
#include "mno/saml/authn_request.hpp"
#include "tally/store/identity_store.hpp"

using namespace ssotest;

namespace {

class SsoLogin : public SsoTest {
 protected:
  std::optional<tally::Company> company_of(const std::string& group_uid) {
    auto c = app->services->companies.find_by_external_uid(kMarket, group_uid);
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : std::nullopt;
  }
  std::optional<int64_t> user_of(const std::string& uid) {
    auto r = app->db->transact([&](mno::db::Connection& tx) { return tally::store::find_user_by_identity(tx, kMarket, uid); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  }
  tally::Role role_of(int64_t user_id, int64_t company_id) {
    auto r = app->services->accounts.membership(user_id, company_id);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : tally::Role::member;
  }
};

TEST_P(SsoLogin, NewGroupAndNewUserCreateCompanyUserAndMembership) {  // 1.2.1, 1.2.3
  testenv::Browser b(app->url);
  IdpUser u;
  auto r = sso_login(b, u);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(*r.header("location"), "/app");
  auto c = company_of("cld-1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "Lee Trading");
  EXPECT_EQ(c->currency, "AUD");
  EXPECT_EQ(c->timezone, "Australia/Sydney");
  EXPECT_EQ(c->country, "AU");
  EXPECT_EQ(c->status, tally::CompanyStatus::trialing);
  ASSERT_TRUE(c->trial_ends_at);
  auto uid = user_of("usr-1");
  ASSERT_TRUE(uid);
  auto user = app->services->accounts.get_user(*uid);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->email, "ann@example.com");
  EXPECT_EQ(user->first_name, "Ann");
  EXPECT_EQ(user->last_name, "Lee");
  EXPECT_FALSE(user->has_password);
  EXPECT_EQ(role_of(*uid, c->id), tally::Role::admin);
  auto page = b.get("/app");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Lee Trading"), std::string::npos);
}

TEST_P(SsoLogin, CompanyCreationIsReportedToTheHookOnlyTheFirstTime) {
  int created = 0;
  app->services->on_company_created = [&](const tally::SsoProvisioned& p) {
    ++created;
    EXPECT_EQ(p.company.external_uid.value_or(""), "cld-1");
  };
  testenv::Browser a(app->url), b(app->url);
  ASSERT_EQ(sso_login(a, IdpUser{}).status, 303);
  IdpUser bob;
  bob.uid = "usr-2";
  bob.email = "bob@example.com";
  ASSERT_EQ(sso_login(b, bob).status, 303);
  EXPECT_EQ(created, 1);
}

TEST_P(SsoLogin, ExpiredTrialGivesAnActiveCompany) {
  testenv::Browser b(app->url);
  IdpUser u;
  u.trial_left = std::chrono::seconds(-3600);
  ASSERT_EQ(sso_login(b, u).status, 303);
  EXPECT_EQ(company_of("cld-1")->status, tally::CompanyStatus::active);
}

TEST_P(SsoLogin, KnownGroupAndNewUserJoinTheCompanyWithThePlatformRole) {  // 1.2.2
  testenv::Browser a(app->url), b(app->url);
  ASSERT_EQ(sso_login(a, IdpUser{}).status, 303);
  IdpUser bob;
  bob.uid = "usr-2";
  bob.email = "bob@example.com";
  bob.role = "Power User";
  ASSERT_EQ(sso_login(b, bob).status, 303);
  EXPECT_EQ(count("companies"), 1);
  EXPECT_EQ(count("users"), 2);
  auto c = company_of("cld-1");
  EXPECT_EQ(role_of(*user_of("usr-2"), c->id), tally::Role::power_user);
  auto page = b.get("/app");
  EXPECT_EQ(page.status, 200);
}

TEST_P(SsoLogin, KnownUidLogsInAndFollowsNamesEmailAndRole) {  // 1.3.1
  testenv::Browser a(app->url);
  IdpUser u;
  ASSERT_EQ(sso_login(a, u).status, 303);
  u.name = "Annie";
  u.surname = "Lee-Smith";
  u.email = "annie@example.com";
  u.role = "Member";
  testenv::Browser again(app->url);
  ASSERT_EQ(sso_login(again, u).status, 303);
  EXPECT_EQ(count("users"), 1);
  auto id = *user_of("usr-1");
  auto user = app->services->accounts.get_user(id);
  EXPECT_EQ(user->email, "annie@example.com");
  EXPECT_EQ(user->first_name, "Annie");
  EXPECT_EQ(user->last_name, "Lee-Smith");
  EXPECT_EQ(role_of(id, company_of("cld-1")->id), tally::Role::member);
}

TEST_P(SsoLogin, KnownUidKeepsItsEmailWhenTheNewOneBelongsToSomeoneElse) {
  app->create_account("taken@example.com");
  testenv::Browser a(app->url);
  IdpUser u;
  ASSERT_EQ(sso_login(a, u).status, 303);
  u.email = "TAKEN@example.com";
  testenv::Browser b(app->url);
  ASSERT_EQ(sso_login(b, u).status, 303);
  EXPECT_EQ(app->services->accounts.get_user(*user_of("usr-1"))->email, "ann@example.com");
}

TEST_P(SsoLogin, RevokedMembershipIsReactivatedByAFreshSso) {
  testenv::Browser a(app->url);
  ASSERT_EQ(sso_login(a, IdpUser{}).status, 303);
  auto uid = *user_of("usr-1");
  auto cid = company_of("cld-1")->id;
  ASSERT_TRUE(app->db->execute("UPDATE memberships SET status = 'revoked' WHERE user_id = $1", {uid}).ok());
  testenv::Browser b(app->url);
  ASSERT_EQ(sso_login(b, IdpUser{}).status, 303);
  EXPECT_EQ(role_of(uid, cid), tally::Role::admin);
  EXPECT_EQ(b.get("/app").status, 200);
}

TEST_P(SsoLogin, MigrationLinksTheUidToTheLocalUserWithThatEmail) {  // 1.4.1
  auto local = app->create_account("Ann@Example.com", "Ann's own company");
  testenv::Browser b(app->url);
  IdpUser u;
  u.email = "ann@EXAMPLE.com";
  ASSERT_EQ(sso_login(b, u).status, 303);
  EXPECT_EQ(count("users"), 1);
  EXPECT_EQ(user_of("usr-1"), local.user_id);
  EXPECT_EQ(role_of(local.user_id, company_of("cld-1")->id), tally::Role::admin);
  // The local company stays reachable; the password still works.
  EXPECT_EQ(role_of(local.user_id, local.company_id), tally::Role::super_admin);
  testenv::Browser pw(app->url);
  EXPECT_TRUE(pw.login("ann@example.com", local.password));
}

TEST_P(SsoLogin, MigrationIsRefusedWhenTheLocalUserIsLinkedToAnotherUid) {
  auto local = app->create_account("ann@example.com");
  testenv::Browser a(app->url), b(app->url);
  ASSERT_EQ(sso_login(a, IdpUser{}).status, 303);  // usr-1 migrates onto the local user
  IdpUser other;
  other.uid = "usr-9";  // same email, another platform user of the same marketplace
  other.name = "Other";
  ASSERT_EQ(sso_login(b, other).status, 303);
  EXPECT_EQ(count("users"), 2);
  auto id9 = user_of("usr-9");
  ASSERT_TRUE(id9);
  EXPECT_NE(*id9, local.user_id);
  auto u9 = app->services->accounts.get_user(*id9);
  EXPECT_EQ(u9->email, tally::placeholder_sso_email(kMarket, "usr-9"));
  EXPECT_EQ(u9->first_name, "Other");
  EXPECT_EQ(app->services->accounts.get_user(local.user_id)->email, "ann@example.com");
}

TEST_P(SsoLogin, AFailureInsideProvisioningLeavesNothingBehind) {
  app->services->sso_provisioning.set_before_commit(
      [](mno::db::Connection&, const tally::SsoProvisioned&) -> mno::Status { return mno::make_error("test.forced", "forced"); });
  testenv::Browser b(app->url);
  auto r = sso_login(b, IdpUser{});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("forced"), std::string::npos) << "no internals shown";
  EXPECT_EQ(count("companies"), 0);
  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(count("memberships"), 0);
  EXPECT_EQ(count("user_identities"), 0);
  EXPECT_EQ(b.get("/app").status, 303) << "not signed in";
}

TEST_P(SsoLogin, SessionIdIsRotatedAtLogin) {
  testenv::Browser b(app->url);
  auto id = start_sso(b);
  auto before = b.cookies["tally_session"];
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(post_response(b, idp_response(id, IdpUser{}).base64).status, 303);
  EXPECT_NE(b.cookies["tally_session"], before);
  EXPECT_EQ(b.cookies.count("tally_sso_binding"), 0u) << "the binding cookie is cleared after use";
  EXPECT_EQ(b.get("/app").status, 200);
}

TEST_P(SsoLogin, ResponseForAnotherBrowsersRequestIsRejected) {
  testenv::Browser victim(app->url), attacker(app->url);
  auto victim_request = start_sso(victim);
  start_sso(attacker);
  auto response = idp_response(victim_request, IdpUser{}).base64;
  auto r = post_response(attacker, response);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("could not sign you in"), std::string::npos);
  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(attacker.get("/app").status, 303);
}

TEST_P(SsoLogin, ReplayIsRejected) {
  testenv::Browser b(app->url);
  auto id = start_sso(b);
  auto response = idp_response(id, IdpUser{}).base64;
  ASSERT_EQ(post_response(b, response).status, 303);
  start_sso(b);
  EXPECT_EQ(post_response(b, response).status, 403);
  testenv::Browser other(app->url);
  start_sso(other);
  EXPECT_EQ(post_response(other, response).status, 403);
}

TEST_P(SsoLogin, AssertionIdSeenBeforeIsRejectedEvenForANewRequest) {
  testenv::Browser b(app->url);
  auto first = idp_response(start_sso(b), IdpUser{});
  ASSERT_EQ(post_response(b, first.base64).status, 303);
  // A validly signed response to a fresh request of this browser, reusing the accepted Assertion ID.
  testenv::Browser again(app->url);
  auto replayed = idp_response(start_sso(again), IdpUser{}, first.assertion_id);
  EXPECT_EQ(post_response(again, replayed.base64).status, 403);
  EXPECT_EQ(again.get("/app").status, 303);
  auto cached = app->db->query("SELECT COUNT(*) FROM saml_replay_cache");
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->at(0).i64(0), 1);
}

TEST_P(SsoLogin, ConsumeWithoutInitIsRejected) {
  testenv::Browser b(app->url);
  auto r = post_response(b, idp_response("_0123456789abcdef0123456789abcdef", IdpUser{}).base64);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(count("companies"), 0);
}

TEST_P(SsoLogin, GarbageAndMissingResponsesGetTheGenericPage) {
  testenv::Browser b(app->url);
  start_sso(b);
  auto r = post_response(b, "not base64 !!!");
  EXPECT_EQ(r.status, 403);
  r = b.post_form(std::string("/maestrano/auth/saml/consume/") + kMarket, {{"other", "x"}}, false);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("x-frame-options") ? *r.header("x-frame-options") : "", "DENY") << "security headers kept";
}

TEST_P(SsoLogin, GetOnConsumeIs405AndUnknownMarketplaceIs404) {
  testenv::Browser b(app->url);
  EXPECT_EQ(b.get(std::string("/maestrano/auth/saml/consume/") + kMarket).status, 405);
  EXPECT_EQ(b.get("/maestrano/auth/saml/init/nope").status, 404);
  EXPECT_EQ(post_response(b, "x", "/maestrano/auth/saml/consume/nope").status, 404);
}

TEST_P(SsoLogin, UnsuffixedRoutesServeTheOnlyMarketplace) {
  testenv::Browser b(app->url);
  auto r = b.get("/maestrano/auth/saml/init?group_id=cld-1");
  ASSERT_EQ(r.status, 302);
  auto parsed = mno::saml::parse_authn_request(r.header("location")->substr(r.header("location")->find('?') + 1));
  ASSERT_TRUE(parsed.ok());
  bool has_group = false;
  for (const auto& [k, v] : parsed->extra_params) has_group = has_group || (k == "group_id" && v == "cld-1");
  EXPECT_TRUE(has_group) << "group_id is forwarded to the IdP";
  EXPECT_EQ(post_response(b, idp_response(parsed->id, IdpUser{}).base64, "/maestrano/auth/saml/consume").status, 303);
  // With two marketplaces the un-suffixed pair is ambiguous: 404.
  auto second = market;
  second.name = "partner-market";
  app->registry.replace({market, second});
  EXPECT_EQ(b.get("/maestrano/auth/saml/init").status, 404);
}

TEST_P(SsoLogin, CancelledCompanyOrRevokedMembershipShowsTheNoAccessPage) {
  testenv::Browser b(app->url);
  ASSERT_EQ(sso_login(b, IdpUser{}).status, 303);
  auto cid = company_of("cld-1")->id;
  ASSERT_TRUE(app->services->companies.set_status(cid, tally::CompanyStatus::cancelled).ok());
  auto r = b.get("/app");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("<html"), std::string::npos);
  ASSERT_TRUE(app->services->companies.set_status(cid, tally::CompanyStatus::active).ok());
  EXPECT_EQ(b.get("/app").status, 200);
  ASSERT_TRUE(app->db->execute("UPDATE memberships SET status = 'revoked'").ok());
  EXPECT_EQ(b.get("/app").status, 403);
}

TALLY_INSTANTIATE_DATABASE_TESTS(SsoLogin);

}  // namespace
