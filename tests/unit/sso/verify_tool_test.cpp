// Support of `tally saml verify`: ACCEPTED with the identity, REJECTED with code and explanation.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "mno/saml/authn_request.hpp"
#include "mno/saml/response_builder.hpp"
#include "mno/sso/verify_tool.hpp"
#include "mno/util/iso8601.hpp"

using namespace mno;

namespace {

std::string read(const std::string& name) {
  std::ifstream in(std::string(TALLY_SOURCE_DIR) + "/tests/security/data/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

config::Marketplace market() {
  config::Marketplace m;
  m.name = "mkt";
  m.app.host = "https://tally.example.com";
  m.api.id = "app-1";
  m.api.host = m.sso.idp = "https://idp.example.com";
  m.sso.consume_path = "/consume";
  m.sso.x509_certificate = read("idp.crt");
  return m;
}

saml::BuiltResponse signed_response(const Clock& clock) {
  auto m = market();
  saml::ResponseParams p;
  p.issuer = saml::idp_sso_url(m);
  p.destination = p.recipient = saml::acs_url(m);
  p.audience = "app-1";
  p.in_response_to = "_whatever";
  p.name_id = "usr-1";
  p.attributes = {{"uid", "usr-1"}, {"email", "a@b.c"}, {"group_uid", "cld-1"}, {"group_role", "Admin"},
                  {"mno_session", "t"}, {"mno_session_recheck", "2027-01-15T08:03:00Z"}, {"group_end_free_trial", "2027-02-01T00:00:00Z"}};
  saml::SigningOptions s;
  s.private_key_pem = read("idp.key");
  SeededRandom random(3);
  return *saml::build_signed_response(p, s, clock, random);
}

}  // namespace

TEST(VerifyToolTest, AcceptsBase64AndRawXmlWithIdentity) {
  ManualClock clock;
  auto b = signed_response(clock);
  for (const std::string& input : {b.base64 + "\n", b.xml}) {
    auto rep = sso::verify_response(input, market(), std::nullopt, clock);
    ASSERT_TRUE(rep.accepted) << rep.text();
    EXPECT_EQ(rep.identity->user.uid, "usr-1");
    EXPECT_NE(rep.text().find("ACCEPTED"), std::string::npos);
    EXPECT_NE(rep.text().find("InResponseTo was not checked"), std::string::npos);
  }
}

TEST(VerifyToolTest, RejectsWithReasonAndExplanationAtTheGivenTime) {
  ManualClock clock;
  auto b = signed_response(clock);
  auto rep = sso::verify_response(b.base64, market(), clock.now() + std::chrono::hours(3), clock);
  EXPECT_FALSE(rep.accepted);
  EXPECT_EQ(rep.reason_code, "saml.expired");
  EXPECT_NE(rep.text().find("REJECTED saml.expired"), std::string::npos);
  EXPECT_NE(rep.explanation.find("expired"), std::string::npos);
  auto m = market();
  m.sso.x509_certificate = read("attacker.crt");
  rep = sso::verify_response(b.base64, m, std::nullopt, clock);
  EXPECT_EQ(rep.reason_code, "saml.signature_invalid");
  m.sso.x509_certificate = "";
  EXPECT_EQ(sso::verify_response(b.base64, m, std::nullopt, clock).reason_code, "saml.config");
}

TEST(VerifyToolTest, KeyRolloverAndFingerprintPinning) {
  ManualClock clock;
  auto b = signed_response(clock);
  auto m = market();
  m.sso.x509_certificate = read("idp2.crt") + read("idp.crt");  // new key first, old one still accepted
  EXPECT_TRUE(sso::verify_response(b.base64, m, std::nullopt, clock).accepted);
  m.sso.x509_fingerprint = "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33";
  EXPECT_EQ(sso::verify_response(b.base64, m, std::nullopt, clock).reason_code, "saml.config");
}
