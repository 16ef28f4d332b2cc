// Integration (real mno-sandbox over loopback): the sandbox as a Maestrano IdP. A real HTTP client
// sends SDK-shaped AuthnRequests, follows the pickers and extracts the SAMLResponse from the form;
// libmno's strict ResponseValidator (the one Tally uses) must accept it with the spec 3.4 attributes,
// or reject a deliberately broken one with the expected reason code.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "mno/config/marketplace_json.hpp"
#include "mno/saml/authn_request.hpp"
#include "mno/saml/replay_cache.hpp"
#include "mno/saml/response_validator.hpp"
#include "mno/util/base64.hpp"
#include "mno/util/iso8601.hpp"
#include "support/platform/platform_fixture.hpp"
#include "support/test_env.hpp"
#include "web/url.hpp"

using namespace testenv;

namespace {

class SandboxIdp : public ::testing::Test {
 protected:
  static inline std::unique_ptr<SandboxProcess> s;
  static void SetUpTestSuite() { s = start_sandbox("http://127.0.0.1:7800"); }
  static void TearDownTestSuite() { s.reset(); }
  void SetUp() override { ASSERT_TRUE(s) << "sandbox did not start"; }

  static mno::http::Response send(const std::string& method, const std::string& path, const std::string& body,
                                  std::string content_type = "application/json") {
    mno::http::Request r;
    r.method = method;
    r.url = s->url + path;
    r.body = body;
    r.headers = {{"Content-Type", content_type}};
    r.timeout = std::chrono::seconds(10);
    return http_send(r);
  }
  static nlohmann::json get_json(const std::string& path) { return nlohmann::json::parse(http_get(s->url + path).body); }

  static mno::config::Marketplace market(const std::string& name) {
    auto m = mno::config::marketplace_from_json(get_json("/control/v1/marketplaces/" + name));
    EXPECT_TRUE(m.ok());
    return *m;
  }
  static std::string login_cookie(const std::string& uid) {
    auto r = send("POST", "/control/v1/idp-login", nlohmann::json{{"user_uid", uid}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return nlohmann::json::parse(r.body)["cookie"];
  }
  static void set_options(const std::string& marketplace, const nlohmann::json& options) {
    auto r = send("PUT", "/control/v1/marketplaces/" + marketplace + "/idp-options", options.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }
  static mno::http::Response get(const std::string& url, const std::string& cookie) {
    std::vector<std::pair<std::string, std::string>> h;
    if (!cookie.empty()) h.emplace_back("Cookie", cookie);
    return http_get(url, std::nullopt, h);
  }

  struct Login {
    mno::saml::AuthnRequest request;
    mno::http::Response page;
    std::string saml_response;  // "" when the page has no POST form
  };
  // The SP side of one login: the AuthnRequest redirect URL, fetched with the user's IdP cookie.
  static Login login(const mno::config::Marketplace& m, const std::string& cookie, const mno::saml::QueryParams& forward = {}) {
    auto req = mno::saml::build_authn_request(m, mno::SystemClock::instance(), mno::SecureRandom::instance(), forward);
    EXPECT_TRUE(req.ok());
    Login l{*req, get(req->redirect_url, cookie), ""};
    l.saml_response = form_value(l.page.body);
    return l;
  }
  static std::string form_value(const std::string& html) {
    std::smatch match;
    static const std::regex re("name=\"SAMLResponse\" value=\"([A-Za-z0-9+/=]*)\"");
    return std::regex_search(html, match, re) ? match[1].str() : "";
  }
  static mno::Result<mno::saml::ValidatedAssertion> validate(const mno::config::Marketplace& m, const Login& l) {
    auto v = mno::saml::ResponseValidator::create(m, mno::SystemClock::instance(), std::make_shared<mno::saml::MemoryReplayCache>());
    EXPECT_TRUE(v.ok()) << (v ? "" : v.error().message);
    return (*v)->validate(l.saml_response, mno::saml::InResponseToCheck::expect(l.request.id));
  }
  static std::string attr(const mno::saml::ValidatedAssertion& a, std::string_view name) {
    const auto* v = a.attribute(name);
    return v ? *v : "<absent>";
  }
};

TEST_F(SandboxIdp, SignsInAUserWithOneGroupAndTheValidatorAcceptsIt) {
  auto m = market("maestrano-sandbox");
  auto l = login(m, login_cookie("usr-1"));
  ASSERT_EQ(l.page.status, 200) << l.page.body;
  ASSERT_FALSE(l.saml_response.empty()) << l.page.body;
  // A plain form that works without JavaScript, posting to the ACS of the request.
  EXPECT_NE(l.page.body.find("action=\"" + mno::saml::acs_url(m) + "\""), std::string::npos);
  EXPECT_NE(l.page.body.find("<button type=\"submit\""), std::string::npos);
  EXPECT_NE(l.page.body.find("<script src=\"/static/autosubmit.js\"></script>"), std::string::npos);
  EXPECT_EQ(http_get(s->url + "/static/autosubmit.js").status, 200);

  auto a = validate(m, l);
  ASSERT_TRUE(a.ok()) << a.error().code << ": " << a.error().message;
  EXPECT_EQ(a->name_id, "usr-1");
  EXPECT_EQ(a->issuer, mno::saml::idp_sso_url(m));
  EXPECT_EQ(a->in_response_to, l.request.id);
  auto user = get_json("/control/v1/users/usr-1");
  const std::map<std::string, std::string> expected = {
      {"mno_uid", "usr-1"}, {"uid", "usr-1"}, {"virtual_uid", "usr-1.cld-1"}, {"email", "john.doe@example.com"},
      {"virtual_email", "usr-1.cld-1@mno-api-sandbox-mail.maestrano.com"}, {"name", "John"}, {"surname", "Doe"},
      {"country", "AU"}, {"company_name", "DoeCorp"}, {"group_uid", "cld-1"}, {"group_name", "Doe Corp"},
      {"group_email", "admin@doecorp.example.com"}, {"group_role", "Admin"}, {"group_end_free_trial", "2030-01-01T00:00:00Z"},
      {"group_has_credit_card", "true"}, {"group_currency", "USD"}, {"group_timezone", "America/Los_Angeles"},
      {"group_country", "US"}, {"group_city", "Los Angeles"}, {"group_org_uid", "org-1"},
      {"mno_session", user["session_token"].get<std::string>()}};
  for (const auto& [k, v] : expected) EXPECT_EQ(attr(*a, k), v) << k;
  auto recheck = mno::parse_iso8601(attr(*a, "mno_session_recheck"));
  ASSERT_TRUE(recheck.ok());
  auto in = std::chrono::duration_cast<std::chrono::seconds>(*recheck - std::chrono::system_clock::now()).count();
  EXPECT_GT(in, 170);
  EXPECT_LE(in, 181);
}

TEST_F(SandboxIdp, UserPickerSignsTheBrowserInAndReplaysTheRequest) {
  auto m = market("maestrano-sandbox");
  auto l = login(m, "");
  ASSERT_EQ(l.page.status, 200);
  EXPECT_TRUE(l.saml_response.empty());
  EXPECT_NE(l.page.body.find("Sign in as John"), std::string::npos);
  EXPECT_NE(l.page.body.find("Sign in as Nina"), std::string::npos);
  auto query = l.request.redirect_url.substr(l.request.redirect_url.find('?') + 1);
  auto posted = send("POST", "/api/v1/auth/saml", "user_uid=usr-3&request_query=" + web::url_encode(query),
                     "application/x-www-form-urlencoded");
  ASSERT_EQ(posted.status, 303) << posted.body;
  auto cookie = posted.header("set-cookie");
  ASSERT_TRUE(cookie);
  auto location = posted.header("location");
  ASSERT_TRUE(location);
  auto replay = get(s->url + *location, cookie->substr(0, cookie->find(';')));
  ASSERT_EQ(replay.status, 200);
  l.saml_response = form_value(replay.body);
  auto a = validate(m, l);
  ASSERT_TRUE(a.ok()) << a.error().code;
  EXPECT_EQ(attr(*a, "uid"), "usr-3");
  EXPECT_EQ(attr(*a, "group_uid"), "cld-2");
  EXPECT_EQ(attr(*a, "group_role"), "Power User");
  // An unknown user is refused.
  EXPECT_EQ(send("POST", "/api/v1/auth/saml", "user_uid=usr-99&request_query=" + web::url_encode(query),
                 "application/x-www-form-urlencoded").status, 400);
}

TEST_F(SandboxIdp, UserWithTwoGroupsPicksOneOrNamesItWithGroupId) {
  auto m = market("maestrano-sandbox");
  const auto cookie = login_cookie("usr-2");
  auto picker = login(m, cookie);
  ASSERT_EQ(picker.page.status, 200);
  EXPECT_TRUE(picker.saml_response.empty());
  std::smatch match;
  ASSERT_TRUE(std::regex_search(picker.page.body, match, std::regex("href=\"([^\"]*group_id=cld-2)\"")));
  EXPECT_NE(picker.page.body.find("group_id=cld-1"), std::string::npos);
  // Following the picker's link (HTML-escaped &) answers for that group.
  auto link = std::regex_replace(match[1].str(), std::regex("&amp;"), "&");
  auto chosen = get(s->url + link, cookie);
  picker.saml_response = form_value(chosen.body);
  auto a = validate(m, picker);
  ASSERT_TRUE(a.ok()) << a.error().code;
  EXPECT_EQ(attr(*a, "group_uid"), "cld-2");
  EXPECT_EQ(attr(*a, "group_role"), "Super Admin");

  auto direct = login(m, cookie, {{"group_id", "cld-1"}});
  auto b = validate(m, direct);
  ASSERT_TRUE(b.ok()) << b.error().code;
  EXPECT_EQ(attr(*b, "group_uid"), "cld-1");
  EXPECT_EQ(attr(*b, "group_role"), "Member");
}

TEST_F(SandboxIdp, UserWithoutGroupGetsAccessDenied) {
  auto l = login(market("maestrano-sandbox"), login_cookie("usr-4"));
  EXPECT_EQ(l.page.status, 403);
  EXPECT_NE(l.page.body.find("Access denied"), std::string::npos);
  EXPECT_TRUE(l.saml_response.empty());
}

TEST_F(SandboxIdp, UnknownIssuerAndGarbageAreBadRequests) {
  auto m = market("maestrano-sandbox");
  m.api.id = "app-unknown";
  auto l = login(m, login_cookie("usr-1"));
  EXPECT_EQ(l.page.status, 400);
  EXPECT_NE(l.page.body.find("Wrong APP ID"), std::string::npos);
  EXPECT_EQ(get(s->url + "/api/v1/auth/saml?SAMLRequest=%%%", "").status, 400);
  EXPECT_EQ(get(s->url + "/api/v1/auth/saml", "").status, 400);
}

TEST_F(SandboxIdp, SessionCheckFollowsRegenerationAndTheValidFlag) {
  auto token = get_json("/control/v1/users/usr-3")["session_token"].get<std::string>();
  auto check = [&](const std::string& id, const std::string& t) {
    auto r = http_get(s->url + "/api/v1/auth/saml/" + id + "?session=" + web::url_encode(t));
    EXPECT_EQ(r.status, 200);
    auto j = nlohmann::json::parse(r.body);
    EXPECT_TRUE(mno::parse_iso8601(j["recheck"].get<std::string>()).ok());
    return j["valid"].get<bool>();
  };
  EXPECT_TRUE(check("usr-3", token));
  EXPECT_TRUE(check("usr-3.cld-2", token));  // virtual uid (spec 3.8)
  EXPECT_FALSE(check("usr-3", "wrong"));
  EXPECT_FALSE(check("usr-404", token));
  auto regen = send("POST", "/control/v1/users/usr-3/regenerate-session", "");
  ASSERT_EQ(regen.status, 200);
  auto fresh = nlohmann::json::parse(regen.body)["session_token"].get<std::string>();
  EXPECT_FALSE(check("usr-3", token));
  EXPECT_TRUE(check("usr-3", fresh));
  ASSERT_EQ(send("PUT", "/control/v1/users/usr-3/session-valid", R"({"valid":false})").status, 200);
  EXPECT_FALSE(check("usr-3", fresh));
  ASSERT_EQ(send("PUT", "/control/v1/users/usr-3/session-valid", R"({"valid":true})").status, 200);
  EXPECT_TRUE(check("usr-3", fresh));
  EXPECT_EQ(send("PUT", "/control/v1/users/usr-3/session-valid", R"({"valid":"no"})").status, 400);
  EXPECT_EQ(send("POST", "/control/v1/users/usr-404/regenerate-session", "").status, 404);
}

TEST_F(SandboxIdp, Sha1IsAcceptedOnlyWithTheLegacyFlagAndSignedResponsesPass) {
  auto m = market("partner-market");
  const auto cookie = login_cookie("usr-1");
  set_options("partner-market", {{"algorithm", "rsa-sha1"}});
  auto strict = validate(m, login(m, cookie));
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error().code, "saml.algorithm_not_allowed");
  auto legacy = m;
  legacy.sso.legacy_sha1 = true;
  auto accepted = validate(legacy, login(m, cookie));
  ASSERT_TRUE(accepted.ok()) << accepted.error().code;
  EXPECT_TRUE(accepted->legacy_sha1);

  set_options("partner-market", {{"algorithm", "rsa-sha256"}, {"sign_response", true}, {"recheck_seconds", 60}});
  auto both = validate(m, login(m, cookie));
  ASSERT_TRUE(both.ok()) << both.error().code;
  EXPECT_EQ(attr(*both, "group_name"), "Partner Traders");
  auto recheck = mno::parse_iso8601(attr(*both, "mno_session_recheck"));
  ASSERT_TRUE(recheck.ok());
  EXPECT_LE(*recheck, std::chrono::system_clock::now() + std::chrono::seconds(61));
  set_options("partner-market", {{"sign_response", false}, {"recheck_seconds", 180}});
}

TEST_F(SandboxIdp, BrokenModesAreRejectedWithTheirReasonCodeAndDisarmAfterUse) {
  auto m = market("maestrano-sandbox");
  const auto cookie = login_cookie("usr-1");
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"bad_signature", {"saml.signature_invalid"}},
      {"foreign_key", {"saml.signature_invalid"}},
      {"unsigned_assertion", {"saml.signature_missing"}},
      {"expired", {"saml.expired"}},
      {"not_yet_valid", {"saml.not_yet_valid"}},
      {"wrong_audience", {"saml.audience"}},
      {"wrong_destination", {"saml.destination"}},
      {"wrong_recipient", {"saml.recipient"}},
      {"wrong_issuer", {"saml.issuer"}},
      {"wrong_in_response_to", {"saml.in_response_to"}},
      {"status_failure", {"saml.status"}},
      {"wrapped_assertion", {"saml.xsw", "saml.assertion_count", "saml.duplicate_id"}},
  };
  for (const auto& [mode, codes] : cases) {
    set_options("maestrano-sandbox", {{"broken_mode", mode}});
    auto r = validate(m, login(m, cookie));
    ASSERT_FALSE(r.ok()) << mode;
    EXPECT_NE(std::find(codes.begin(), codes.end(), r.error().code), codes.end()) << mode << " gave " << r.error().code;
  }
  // One response per arming: the next is fine again.
  EXPECT_TRUE(validate(m, login(m, cookie)).ok());
  EXPECT_EQ(get_json("/control/v1/marketplaces/maestrano-sandbox/idp-options")["broken_mode"], "none");
  // broken_count arms several; the control API names bad fields.
  set_options("maestrano-sandbox", {{"broken_mode", "expired"}, {"broken_count", 2}});
  EXPECT_FALSE(validate(m, login(m, cookie)).ok());
  EXPECT_FALSE(validate(m, login(m, cookie)).ok());
  EXPECT_TRUE(validate(m, login(m, cookie)).ok());
  for (auto body : {R"({"broken_mode":"nope"})", R"({"algorithm":"md5"})", R"({"recheck_seconds":0})", R"({"colour":1})",
                    R"({"sign_response":"yes"})"}) {
    auto r = send("PUT", "/control/v1/marketplaces/maestrano-sandbox/idp-options", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_TRUE(nlohmann::json::parse(r.body)["error"].contains("field")) << body;
  }
}

// The SDK variants of spec 3.2, sent as raw SAMLRequest values (deflated or not, base64 with newlines).
TEST_F(SandboxIdp, AcceptsEverySdkAuthnRequestVariant) {
  auto m = market("maestrano-sandbox");
  const auto acs = mno::saml::acs_url(m);
  const auto idp = mno::saml::idp_sso_url(m);
  const std::string issuer = m.api.id;
  const std::vector<std::pair<std::string, std::string>> variants = {
      {"ruby",
       "<samlp:AuthnRequest xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' ID='_ruby1' IssueInstant='2017-01-05T09:03:12Z' "
       "Version='2.0' Destination='" + idp + "' AssertionConsumerServiceURL='" + acs + "'>"
       "<saml:Issuer xmlns:saml='urn:oasis:names:tc:SAML:2.0:assertion'>" + issuer + "</saml:Issuer>"
       "<samlp:NameIDPolicy xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' AllowCreate='true' "
       "Format='urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'/></samlp:AuthnRequest>"},
      {"java",
       "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_java1\" Version=\"2.0\" "
       "IssueInstant=\"2017-01-05T9:03:12+1100\" ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
       "AssertionConsumerServiceURL=\"" + acs + "\"><saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">" + issuer +
       "</saml:Issuer><samlp:NameIDPolicy AllowCreate=\"true\" Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified\"/>"
       "<samlp:RequestedAuthnContext Comparison=\"exact\"></samlp:RequestedAuthnContext>"
       "<saml:AuthnContextClassRef xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">"
       "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></samlp:AuthnRequest>"},
      {"dotnet",
       "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
       "ID=\"_net1\" Version=\"2.0\" IssueInstant=\"2017-01-05T09:03:12Z\" AssertionConsumerServiceURL=\"" + acs + "\">"
       "<saml:Issuer>" + issuer + "</saml:Issuer><samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\" "
       "AllowCreate=\"true\"/><samlp:RequestedAuthnContext Comparison=\"exact\"><saml:AuthnContextClassRef>x</saml:AuthnContextClassRef>"
       "</samlp:RequestedAuthnContext></samlp:AuthnRequest>"},
      {"php",
       "<samlp:AuthnRequest\n  xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"\n  xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"\n"
       "  ID=\"Maestrano0123456789abcdef0123456789abcdef01234567\"\n  Version=\"2.0\"\n  IssueInstant=\"2017-01-05T09:03:12Z\"\n"
       "  ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\"\n  AssertionConsumerServiceURL=\"" + acs + "\">\n"
       "  <saml:Issuer>" + issuer + "</saml:Issuer>\n  <samlp:NameIDPolicy Format=\"\" AllowCreate=\"true\"></samlp:NameIDPolicy>\n"
       "</samlp:AuthnRequest>"},
      {"other-prefix",
       "<p:AuthnRequest xmlns:p='urn:oasis:names:tc:SAML:2.0:protocol' ID='_px1' Version='2.0' AssertionConsumerServiceURL='" + acs +
       "'><a:Issuer xmlns:a='urn:oasis:names:tc:SAML:2.0:assertion'>" + issuer + "</a:Issuer></p:AuthnRequest>"},
      {"default-ns",
       "<AuthnRequest xmlns='urn:oasis:names:tc:SAML:2.0:protocol' ID='_dn1' Version='2.0' AssertionConsumerServiceURL='" + acs +
       "'><Issuer xmlns='urn:oasis:names:tc:SAML:2.0:assertion'>" + issuer + "</Issuer></AuthnRequest>"},
  };
  const auto cookie = login_cookie("usr-1");
  for (const auto& [name, xml] : variants) {
    for (bool deflate : {true, false}) {
      auto b64 = mno::base64_encode(deflate ? mno::saml::deflate_raw(xml) : xml);
      for (size_t i = 60; i < b64.size(); i += 61) b64.insert(i, "\n");  // Ruby encode64
      auto url = idp + "?SAMLRequest=" + web::url_encode(b64) + "&controller=maestrano%2Fauth%2Fsaml&action=init&tenant=x";
      auto page = get(url, cookie);
      ASSERT_EQ(page.status, 200) << name << " deflate=" << deflate << "\n" << page.body;
      auto id = xml.substr(xml.find("ID=") + 4);
      id = id.substr(0, id.find_first_of("'\""));
      Login l;
      l.request.id = id;
      l.saml_response = form_value(page.body);
      auto a = validate(m, l);
      ASSERT_TRUE(a.ok()) << name << ": " << a.error().code;
      EXPECT_EQ(a->in_response_to, id);
    }
  }
}

TEST_F(SandboxIdp, ControlApiManagesTheDirectoryAndLaunchesTheApp) {
  for (auto [body, field] : {std::pair{R"({"first_name":"A","last_name":"B"})", "email"},
                             {R"({"first_name":"A","last_name":"B","email":"nope"})", "email"},
                             {R"({"first_name":"A","last_name":"B","email":"a@b.c","country":"Oz"})", "country"},
                             {R"({"first_name":"A","last_name":"B","email":"a@b.c","uid":"usr-1.x"})", "uid"},
                             {R"({"first_name":1,"last_name":"B","email":"a@b.c"})", "first_name"}}) {
    auto r = send("POST", "/control/v1/users", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["field"], field) << body;
  }
  auto user = send("POST", "/control/v1/users",
                   R"({"first_name":"Zoë","last_name":"<Script>","email":"zoe@example.com","country":"NZ"})");
  ASSERT_EQ(user.status, 201) << user.body;
  const auto uid = nlohmann::json::parse(user.body)["uid"].get<std::string>();
  EXPECT_EQ(send("POST", "/control/v1/groups", R"({"marketplace":"nope","name":"X"})").status, 404);
  EXPECT_EQ(send("POST", "/control/v1/groups", R"({"marketplace":"partner-market","name":"X","currency":"usd"})").status, 400);
  auto group = send("POST", "/control/v1/groups",
                    R"({"marketplace":"partner-market","name":"Zoë & Co","currency":"NZD","timezone":"Pacific/Auckland","country":"NZ"})");
  ASSERT_EQ(group.status, 201) << group.body;
  const auto gid = nlohmann::json::parse(group.body)["uid"].get<std::string>();
  EXPECT_EQ(send("PUT", "/control/v1/groups/" + gid + "/users/" + uid, R"({"role":"Owner"})").status, 400);
  EXPECT_EQ(send("PUT", "/control/v1/groups/" + gid + "/users/usr-404", R"({"role":"Admin"})").status, 404);
  ASSERT_EQ(send("PUT", "/control/v1/groups/" + gid + "/users/" + uid, R"({"role":"Power User"})").status, 200);

  auto m = market("partner-market");
  auto a = validate(m, login(m, login_cookie(uid)));
  ASSERT_TRUE(a.ok()) << a.error().code;
  EXPECT_EQ(attr(*a, "group_uid"), gid);
  EXPECT_EQ(attr(*a, "group_name"), "Zoë & Co");
  EXPECT_EQ(attr(*a, "surname"), "<Script>");
  EXPECT_EQ(attr(*a, "group_role"), "Power User");

  auto launch = http_get(s->url + "/control/v1/launch?marketplace=partner-market&user=" + uid + "&group=" + gid);
  ASSERT_EQ(launch.status, 200) << launch.body;
  EXPECT_EQ(nlohmann::json::parse(launch.body)["url"], "http://127.0.0.1:7800/maestrano/auth/saml/init/partner-market?group_id=" + gid);
  EXPECT_EQ(http_get(s->url + "/control/v1/launch?marketplace=partner-market&user=" + uid + "&group=cld-1").status, 400);
  EXPECT_EQ(http_get(s->url + "/control/v1/launch?marketplace=partner-market&user=" + uid).status, 400);

  ASSERT_EQ(send("DELETE", "/control/v1/groups/" + gid + "/users/" + uid, "").status, 200);
  EXPECT_EQ(login(m, login_cookie(uid)).page.status, 403);

  auto log = get_json("/control/v1/requests?endpoint=idp.sso&limit=5");
  ASSERT_FALSE(log["requests"].empty());
  EXPECT_EQ(log["requests"][0]["status"], 403);
  EXPECT_EQ(log["requests"][0]["path"], "/api/v1/auth/saml");
}

TEST_F(SandboxIdp, LogoutEndsTheIdpLoginAndPagesRender) {
  auto m = market("maestrano-sandbox");
  const auto cookie = login_cookie("usr-1");
  ASSERT_FALSE(login(m, cookie).saml_response.empty());
  auto out = get(s->url + "/app_logout?user_uid=usr-1", cookie);
  EXPECT_EQ(out.status, 200);
  EXPECT_NE(out.body.find("logged out"), std::string::npos);
  auto after = login(m, cookie);
  EXPECT_TRUE(after.saml_response.empty());
  EXPECT_NE(after.page.body.find("Sign in as"), std::string::npos);
  auto unauthorized = http_get(s->url + "/app_access_unauthorized?err=%3Cb%3Einternal");
  EXPECT_EQ(unauthorized.status, 200);
  EXPECT_EQ(unauthorized.body.find("<b>internal"), std::string::npos);
  EXPECT_NE(unauthorized.body.find("&lt;b&gt;internal"), std::string::npos);
}

// --allow-test-login lets a client sign in with as_user; without the flag as_user is ignored.
TEST_F(SandboxIdp, TestLoginOnlyWithTheFlag) {
  auto m = market("maestrano-sandbox");
  EXPECT_TRUE(login(m, "", {{"as_user", "usr-1"}}).saml_response.empty());

  auto port = free_port();
  auto dir = temp_dir("sandbox-test-login");
  Process p(SANDBOX_BIN, {"--port", std::to_string(port), "--database", "sqlite:" + dir + "/s.db", "--app-host",
                          "http://127.0.0.1:7800", "--log-level", "warn", "--allow-test-login"});
  ASSERT_TRUE(p.wait_for_port(port)) << p.output();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto m2 = *mno::config::marketplace_from_json(nlohmann::json::parse(http_get(url + "/control/v1/marketplaces/maestrano-sandbox").body));
  auto l = login(m2, "", {{"as_user", "usr-1"}});
  ASSERT_EQ(l.page.status, 200);
  EXPECT_TRUE(l.page.header("set-cookie"));
  auto a = validate(m2, l);
  ASSERT_TRUE(a.ok()) << a.error().code;
  EXPECT_EQ(a->name_id, "usr-1");
}

}  // namespace
