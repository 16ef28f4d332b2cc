// See sso_test_support.hpp.
#include "sso_test_support.hpp"

#include "mno/saml/authn_request.hpp"
#include "mno/sso/session_check.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/random.hpp"
#include "sandbox/seed_keys.hpp"

namespace ssotest {
namespace {

const sandbox::SeedKey& seed_key() {
  for (const auto& k : sandbox::seed_keys())
    if (k.marketplace == kMarket) return k;
  throw std::runtime_error("no seed key for the sandbox marketplace");
}

}  // namespace

mno::config::Marketplace sandbox_marketplace(const std::string& app_url) {
  mno::config::Marketplace m;
  m.name = kMarket;
  m.environment = kMarket;
  m.app.host = app_url;
  m.api.id = "app-tally-sbx";
  m.api.key = "secret";
  m.api.host = "http://idp.test";
  m.api.base = "/api/v1/";
  m.sso.idp = "http://idp.test";
  m.sso.init_path = std::string("/maestrano/auth/saml/init/") + kMarket;
  m.sso.consume_path = std::string("/maestrano/auth/saml/consume/") + kMarket;
  m.sso.x509_certificate = seed_key().certificate_pem;
  m.sso.x509_fingerprint = seed_key().sha1_fingerprint;
  m.connec.host = "http://connec.test";
  m.webhooks.account.group_path = std::string("/maestrano/account/groups/:id/") + kMarket;
  m.webhooks.account.group_user_path = std::string("/maestrano/account/groups/:group_id/users/:id/") + kMarket;
  m.webhooks.connec.notification_path = std::string("/maestrano/connec/notifications/") + kMarket;
  return m;
}

void SsoTest::SetUp() {
  DatabaseTest::SetUp();
  if (IsSkipped() || HasFailure()) return;
  app = std::make_unique<testenv::AppHarness>(GetParam());
  market = sandbox_marketplace(app->url);
  app->registry.replace({market});
  platform = std::make_shared<mno::http::FakeHttpClient>();
  app->services->http = platform;
}

std::string SsoTest::start_sso(testenv::Browser& b, const std::string& query) {
  auto r = b.get(std::string("/maestrano/auth/saml/init/") + kMarket + query);
  EXPECT_EQ(r.status, 302) << r.body;
  auto location = r.header("location");
  if (!location) {
    ADD_FAILURE() << "no Location";
    return "";
  }
  EXPECT_EQ(location->rfind(mno::saml::idp_sso_url(market) + "?SAMLRequest=", 0), 0u) << *location;
  auto parsed = mno::saml::parse_authn_request(location->substr(location->find('?') + 1));
  if (!parsed.ok()) {
    ADD_FAILURE() << parsed.error().message;
    return "";
  }
  EXPECT_EQ(parsed->acs_url, mno::saml::acs_url(market));
  return parsed->id;
}

mno::saml::BuiltResponse SsoTest::idp_response(const std::string& request_id, const IdpUser& u, const std::string& assertion_id) {
  const auto now = app->clock.now();
  mno::saml::ResponseParams p;
  p.issuer = mno::saml::idp_sso_url(market);
  p.destination = p.recipient = mno::saml::acs_url(market);
  p.audience = market.api.id;
  p.in_response_to = request_id;
  p.name_id = u.uid;
  p.assertion_id = assertion_id;
  p.attributes = {{"mno_uid", u.uid},
                  {"mno_session", u.token},
                  {"mno_session_recheck", mno::format_iso8601(now + u.recheck_in)},
                  {"uid", u.uid},
                  {"email", u.email},
                  {"virtual_uid", u.uid + "." + u.group_uid},
                  {"virtual_email", u.uid + "." + u.group_uid + "@mail.example.com"},
                  {"name", u.name},
                  {"surname", u.surname},
                  {"country", u.country},
                  {"company_name", "Typed Co"},
                  {"group_uid", u.group_uid},
                  {"group_name", u.group_name},
                  {"group_role", u.role},
                  {"group_end_free_trial", mno::format_iso8601(now + u.trial_left)},
                  {"group_has_credit_card", "false"},
                  {"group_email", "boss@example.com"},
                  {"group_currency", u.currency},
                  {"group_timezone", u.timezone},
                  {"group_country", u.country}};
  mno::saml::SigningOptions s;
  s.private_key_pem = seed_key().private_key_pem;
  s.certificate_pem = seed_key().certificate_pem;
  auto built = mno::saml::build_signed_response(p, s, app->clock, mno::SecureRandom::instance());
  if (!built.ok()) throw std::runtime_error(built.error().message);
  return *built;
}

mno::http::Response SsoTest::post_response(testenv::Browser& b, const std::string& saml_response, const std::string& path) {
  return b.post_form(path, {{"SAMLResponse", saml_response}}, /*with_csrf=*/false);
}

mno::http::Response SsoTest::sso_login(testenv::Browser& b, const IdpUser& u) {
  auto id = start_sso(b, "?group_id=" + u.group_uid);
  return post_response(b, idp_response(id, u).base64);
}

int64_t SsoTest::count(const std::string& table) {
  auto r = app->db->query("SELECT COUNT(*) FROM " + table);
  if (!r.ok()) throw std::runtime_error(r.error().message);
  return r->at(0).i64(0);
}

std::string SsoTest::session_check_url(const IdpUser& u) const { return mno::sso::session_check_url(market, u.uid, u.token); }

}  // namespace ssotest
