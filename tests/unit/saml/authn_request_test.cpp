// AuthnRequest: the SP's redirect URL round-trips through our own IdP-side parser, and the parser
// accepts every SDK variant of spec 3.2 (Ruby, Java, .NET, PHP; prefixes, newlines, no deflate).
#include <gtest/gtest.h>

#include "mno/saml/authn_request.hpp"
#include "mno/saml/url_codec.hpp"
#include "mno/util/base64.hpp"

using namespace mno::saml;

namespace {

mno::config::Marketplace market() {
  mno::config::Marketplace m;
  m.name = "mkt";
  m.app.host = "https://tally.example.com";
  m.api.id = "app-1";
  m.sso.idp = "https://idp.example.com/";
  m.sso.consume_path = "/maestrano/auth/saml/consume/mkt";
  return m;
}

// Ruby's encode64: a newline every 60 characters.
std::string ruby_base64(std::string_view bytes) {
  std::string b = mno::base64_encode(bytes), out;
  for (size_t i = 0; i < b.size(); i += 60) out += b.substr(i, 60) + "\n";
  return out;
}

std::string query_for(const std::string& xml, bool deflate = true) {
  return "SAMLRequest=" + url_encode(ruby_base64(deflate ? deflate_raw(xml) : xml)) + "&group_id=cld-9&controller=x";
}

}  // namespace

TEST(AuthnRequestTest, BuildsTheRedirectAndRoundTrips) {
  mno::ManualClock clock;
  mno::SeededRandom random(7);
  auto r = build_authn_request(market(), clock, random, {{"group_id", "cld-1"}, {"SAMLRequest", "ignored"}, {"x y", "a&b"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id.size(), 33u);
  EXPECT_EQ(r->id[0], '_');
  EXPECT_EQ(r->redirect_url.rfind("https://idp.example.com/api/v1/auth/saml?SAMLRequest=", 0), 0u);
  EXPECT_NE(r->redirect_url.find("&group_id=cld-1&x%20y=a%26b"), std::string::npos);
  EXPECT_EQ(r->redirect_url.find("ignored"), std::string::npos);
  EXPECT_NE(r->xml.find("Destination='https://idp.example.com/api/v1/auth/saml'"), std::string::npos);
  EXPECT_NE(r->xml.find("nameid-format:persistent"), std::string::npos);
  auto p = parse_authn_request(r->redirect_url.substr(r->redirect_url.find('?')));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->id, r->id);
  EXPECT_EQ(p->acs_url, "https://tally.example.com/maestrano/auth/saml/consume/mkt");
  EXPECT_EQ(p->issuer, "app-1");
  EXPECT_EQ(p->destination, "https://idp.example.com/api/v1/auth/saml");
  EXPECT_EQ(p->issue_instant, "2027-01-15T08:00:00Z");
  ASSERT_EQ(p->extra_params.size(), 2u);
  EXPECT_EQ(p->extra_params[0], (std::pair<std::string, std::string>{"group_id", "cld-1"}));
  // A fresh ID each time.
  EXPECT_NE(build_authn_request(market(), clock, random)->id, r->id);
}

TEST(AuthnRequestTest, RefusesIncompleteConfiguration) {
  mno::ManualClock clock;
  mno::SeededRandom random(7);
  auto m = market();
  m.sso.idp = "";
  EXPECT_EQ(build_authn_request(m, clock, random).error().code, "saml.config");
}

TEST(AuthnRequestTest, DeflateRoundTripAndBombCap) {
  std::string big(1 << 20, 'a');
  auto z = deflate_raw(big);
  EXPECT_LT(z.size(), 5000u);
  EXPECT_EQ(inflate_raw(z, 2 << 20).value(), big);
  EXPECT_EQ(inflate_raw(z, 64 * 1024).error().code, "saml.too_large");
  EXPECT_EQ(parse_authn_request("SAMLRequest=" + url_encode(mno::base64_encode(z))).error().code, "saml.too_large");
}

TEST(AuthnRequestTest, AcceptsJavaVariant) {
  // No Destination, ProtocolBinding, unspecified Format, RequestedAuthnContext followed by a stray sibling, local time.
  std::string xml =
      "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_java1\" Version=\"2.0\" "
      "IssueInstant=\"2017-01-05T9:03:12+1100\" ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" "
      "AssertionConsumerServiceURL=\"https://app.example/consume\">"
      "<saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">app-java</saml:Issuer>"
      "<samlp:NameIDPolicy AllowCreate=\"true\" Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified\"/>"
      "<samlp:RequestedAuthnContext Comparison=\"exact\"></samlp:RequestedAuthnContext>"
      "<saml:AuthnContextClassRef xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">"
      "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></samlp:AuthnRequest>";
  auto p = parse_authn_request(query_for(xml));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->id, "_java1");
  EXPECT_EQ(p->issuer, "app-java");
  EXPECT_EQ(p->destination, "");
  EXPECT_EQ(p->acs_url, "https://app.example/consume");
}

TEST(AuthnRequestTest, AcceptsDotNetPhpAndAnyPrefix) {
  const std::vector<std::pair<std::string, std::string>> variants = {
      {"dotnet",
       "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
       "ID=\"_net\" Version=\"2.0\" IssueInstant=\"2017-01-05T09:03:12Z\" AssertionConsumerServiceURL=\"https://app.example/consume\">"
       "<saml:Issuer>app-net</saml:Issuer><samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\" AllowCreate=\"true\"/>"
       "<samlp:RequestedAuthnContext Comparison=\"exact\"><saml:AuthnContextClassRef>x</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>"
       "</samlp:AuthnRequest>"},
      {"php",
       "<samlp:AuthnRequest\n  xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"\n  xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"\n"
       "  ID=\"Maestrano0123456789abcdef0123456789abcdef01234567\"\n  Version=\"2.0\"\n  IssueInstant=\"2017-01-05T09:03:12Z\"\n"
       "  ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\"\n  AssertionConsumerServiceURL=\"https://app.example/consume\">\n"
       "  <saml:Issuer>app-php</saml:Issuer>\n  <samlp:NameIDPolicy Format=\"\" AllowCreate=\"true\"></samlp:NameIDPolicy>\n"
       "</samlp:AuthnRequest>"},
      {"other-prefix",
       "<p:AuthnRequest xmlns:p='urn:oasis:names:tc:SAML:2.0:protocol' ID='_px' Version='2.0' AssertionConsumerServiceURL='https://app.example/consume'>"
       "<a:Issuer xmlns:a='urn:oasis:names:tc:SAML:2.0:assertion'> app-px </a:Issuer></p:AuthnRequest>"},
      {"default-ns",
       "<AuthnRequest xmlns='urn:oasis:names:tc:SAML:2.0:protocol' ID='_dn' Version='2.0' AssertionConsumerServiceURL='https://app.example/consume'>"
       "<Issuer xmlns='urn:oasis:names:tc:SAML:2.0:assertion'>app-dn</Issuer></AuthnRequest>"},
  };
  for (const auto& [name, xml] : variants) {
    for (bool deflate : {true, false}) {
      auto p = parse_authn_request(query_for(xml, deflate));
      ASSERT_TRUE(p.ok()) << name << ": " << p.error().message;
      EXPECT_EQ(p->acs_url, "https://app.example/consume") << name;
      EXPECT_EQ(p->issuer.substr(0, 4), "app-") << name;
      ASSERT_EQ(p->extra_params.size(), 2u);
      EXPECT_EQ(p->extra_params[0].second, "cld-9");
    }
  }
}

TEST(AuthnRequestTest, ToleratesUnescapedPlusAndZlibWrapper) {
  mno::ManualClock clock;
  mno::SeededRandom random(1);
  // Find a request whose base64 contains '+', then send it unescaped (a sloppy SDK).
  for (int i = 0; i < 50; ++i) {
    auto r = build_authn_request(market(), clock, random);
    if (r->saml_request.find('+') == std::string::npos) continue;
    auto p = parse_authn_request("SAMLRequest=" + r->saml_request);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->id, r->id);
    return;
  }
  FAIL() << "no request with '+' found";
}

TEST(AuthnRequestTest, RejectsBrokenRequests) {
  EXPECT_EQ(parse_authn_request("group_id=1").error().code, "saml.bad_request");
  EXPECT_EQ(parse_authn_request("SAMLRequest=%%%").error().code, "saml.bad_request");
  EXPECT_EQ(parse_authn_request("SAMLRequest=" + url_encode(mno::base64_encode("garbage-not-deflate"))).error().code, "saml.bad_request");
  std::string no_acs = "<samlp:AuthnRequest xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' ID='_1'><saml:Issuer xmlns:saml='urn:oasis:names:tc:SAML:2.0:assertion'>a</saml:Issuer></samlp:AuthnRequest>";
  EXPECT_EQ(parse_authn_request(query_for(no_acs)).error().code, "saml.bad_request");
  std::string no_issuer = "<samlp:AuthnRequest xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' ID='_1' AssertionConsumerServiceURL='x'/>";
  EXPECT_EQ(parse_authn_request(query_for(no_issuer)).error().code, "saml.bad_request");
  std::string dtd = "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>" + no_acs;
  EXPECT_EQ(parse_authn_request(query_for(dtd)).error().code, "saml.dtd");
  std::string wrong_root = "<x:AuthnRequest xmlns:x='urn:other' ID='_1' AssertionConsumerServiceURL='x'/>";
  EXPECT_EQ(parse_authn_request(query_for(wrong_root)).error().code, "saml.bad_request");
}

TEST(UrlCodecTest, EncodesAndParses) {
  EXPECT_EQ(url_encode("a b/c?d=e&f#g+~"), "a%20b%2Fc%3Fd%3De%26f%23g%2B~");
  EXPECT_EQ(url_decode("a+b%2B").value(), "a b+");
  EXPECT_EQ(url_decode("a+b", false).value(), "a+b");
  EXPECT_FALSE(url_decode("%4").ok());
  auto q = parse_query("?a=1&&b=x%20y&c");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 3u);
  EXPECT_EQ((*q)[1].second, "x y");
  EXPECT_EQ((*q)[2].first, "c");
}
