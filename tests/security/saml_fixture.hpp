// Shared fixture of the SAML attack suite: a marketplace pinned to the sandbox seed certificate, a
// fixed clock, the baseline B (a Maestrano-shaped response signed by our signer, spec 3.3) and the
// string-level mutation helpers the S-cases apply to it.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>

#include "mno/saml/authn_request.hpp"
#include "mno/saml/response_builder.hpp"
#include "mno/saml/response_validator.hpp"
#include "mno/util/base64.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"

namespace samltest {

inline std::string data_path(const std::string& name) { return std::string(TALLY_SOURCE_DIR) + "/tests/security/data/" + name; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline mno::config::Marketplace marketplace() {
  mno::config::Marketplace m;
  m.name = "maestrano-sandbox";
  m.app.host = "https://tally.example.com";
  m.api.id = "app-tally";
  m.api.key = "secret";
  m.api.host = "https://idp.example.com";
  m.api.base = "/api/v1/";
  m.sso.idp = "https://idp.example.com";
  m.sso.init_path = "/maestrano/auth/saml/init/maestrano-sandbox";
  m.sso.consume_path = "/maestrano/auth/saml/consume/maestrano-sandbox";
  m.sso.x509_certificate = read_file(data_path("idp.crt"));
  m.sso.x509_fingerprint = "5b:dc:0c:3e:0a:6d:11:3a:9b:f6:3b:bf:31:73:d2:2c:53:5e:3f:5b";
  return m;
}

inline const char* kRequestId = "_req0123456789abcdef";

inline mno::saml::ResponseParams baseline_params(const mno::config::Marketplace& m) {
  mno::saml::ResponseParams p;
  p.issuer = mno::saml::idp_sso_url(m);
  p.destination = mno::saml::acs_url(m);
  p.recipient = p.destination;
  p.audience = m.api.id;
  p.in_response_to = kRequestId;
  p.name_id = "usr-victim";
  p.attributes = {{"mno_uid", "usr-victim"},
                  {"mno_session", "sess-token-1"},
                  {"mno_session_recheck", "2027-01-15T08:03:00Z"},
                  {"uid", "usr-victim"},
                  {"virtual_uid", "usr-victim.cld-1"},
                  {"email", "victim@example.com"},
                  {"virtual_email", "usr-victim.cld-1@mail.maestrano.com"},
                  {"name", "Vic"},
                  {"surname", "Tim & Sons"},
                  {"country", "AU"},
                  {"company_name", "VicCorp"},
                  {"group_uid", "cld-1"},
                  {"group_name", "Victim Group"},
                  {"group_role", "Admin"},
                  {"group_end_free_trial", "2027-02-01T00:00:00Z"},
                  {"group_email", "cld-1@example.com"},
                  {"group_currency", "AUD"},
                  {"group_timezone", "Australia/Sydney"},
                  {"group_country", "AU"},
                  {"group_has_credit_card", "true"}};
  return p;
}

inline mno::saml::SigningOptions idp_signing() {
  mno::saml::SigningOptions s;
  s.private_key_pem = read_file(data_path("idp.key"));
  s.certificate_pem = read_file(data_path("idp.crt"));
  return s;
}

inline void replace_first(std::string& s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  ASSERT_NE(p, std::string::npos) << "mutation anchor not found: " << from;
  s.replace(p, from.size(), to);
}

inline void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

// [begin, end) of the first element starting with `open` and ending with `close` (no nesting of the same tag).
inline std::string slice(const std::string& s, const std::string& open, const std::string& close) {
  size_t b = s.find(open);
  size_t e = s.find(close, b);
  if (b == std::string::npos || e == std::string::npos) return {};
  return s.substr(b, e + close.size() - b);
}

inline std::string remove(std::string s, const std::string& part) {
  size_t p = s.find(part);
  if (p != std::string::npos) s.erase(p, part.size());
  return s;
}

class SamlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_ = marketplace();
    clock_ = std::make_unique<mno::ManualClock>(mno::TimePoint{std::chrono::seconds{1'800'000'000}});
    replay_ = std::make_shared<mno::saml::MemoryReplayCache>();
    make_validator();
  }
  void make_validator() {
    auto v = mno::saml::ResponseValidator::create(m_, *clock_, replay_);
    ASSERT_TRUE(v.ok()) << v.error().code << ": " << v.error().message;
    validator_ = *v;
  }
  mno::saml::BuiltResponse build(const mno::saml::ResponseParams& p, const mno::saml::SigningOptions& s) {
    auto r = mno::saml::build_signed_response(p, s, *clock_, random_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : mno::saml::BuiltResponse{};
  }
  mno::saml::BuiltResponse baseline() { return build(baseline_params(m_), idp_signing()); }
  mno::Result<mno::saml::ValidatedAssertion> validate_xml(const std::string& xml) {
    return validator_->validate(mno::base64_encode(xml), mno::saml::InResponseToCheck::expect(kRequestId));
  }
  // The exact reason code of a rejection ("ACCEPTED" when it was accepted).
  std::string code_of(const std::string& xml) {
    auto r = validate_xml(xml);
    return r.ok() ? std::string("ACCEPTED") : r.error().code;
  }

  mno::config::Marketplace m_;
  std::unique_ptr<mno::ManualClock> clock_;
  mno::SeededRandom random_{42};
  std::shared_ptr<mno::saml::MemoryReplayCache> replay_;
  std::shared_ptr<const mno::saml::ResponseValidator> validator_;
};

}  // namespace samltest
