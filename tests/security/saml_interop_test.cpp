// Interop and concurrency of the SAML SP: a response signed by code we did not write (the xmlsec1
// command-line tool) is accepted, Lasso as an SP accepts what our IdP signer produces, and one
// validator serves several threads at once.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "saml_fixture.hpp"
#include "support/test_env.hpp"

using namespace samltest;

TEST_F(SamlTest, Interop_Xmlsec1CliSignedResponseAccepted) {
  if (std::system("xmlsec1 --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "xmlsec1 CLI not installed (Debian package xmlsec1)";
  auto s = idp_signing();
  s.template_only = true;  // our builder lays out the Maestrano shape; xmlsec1 computes digest and signature
  auto tmpl = build(baseline_params(m_), s);
  const std::string dir = testenv::temp_dir("xmlsec1");
  std::ofstream(dir + "/in.xml") << tmpl.xml;
  const std::string cmd = "xmlsec1 --sign --privkey-pem " + data_path("idp.key") + "," + data_path("idp.crt") +
                          " --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion --output " + dir + "/out.xml " + dir +
                          "/in.xml > " + dir + "/log.txt 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(dir + "/log.txt");
  std::string signed_xml = read_file(dir + "/out.xml");
  ASSERT_NE(signed_xml.find("<ds:SignatureValue>"), std::string::npos);
  ASSERT_EQ(signed_xml.find("<ds:SignatureValue/>"), std::string::npos);
  auto r = validate_xml(signed_xml);
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r->name_id, "usr-victim");
  // And xmlsec1 verifies what our signer produced (both directions).
  std::ofstream(dir + "/ours.xml") << baseline().xml;
  const std::string verify = "xmlsec1 --verify --pubkey-cert-pem " + data_path("idp.crt") +
                             " --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion " + dir + "/ours.xml > " + dir +
                             "/vlog.txt 2>&1";
  EXPECT_EQ(std::system(verify.c_str()), 0) << read_file(dir + "/vlog.txt");
}

namespace {

// Lasso comes from Debian's python3-lasso, which installs for Debian's own interpreter only (a
// python3 earlier in PATH, e.g. pyenv's, does not see it).
constexpr const char* kDebianPython = "/usr/bin/python3";

std::string pem_body(const std::string& pem) {
  std::string out;
  std::istringstream in(pem);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("-----", 0) != 0) out += line;
  return out;
}

// SAML 2.0 metadata for Lasso: our SP (entityID = api.id, the Audience; ACS = the Destination) and
// the IdP (entityID = its Issuer, signing certificate = the sandbox seed certificate).
std::string sp_metadata(const mno::config::Marketplace& m) {
  return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" + m.api.id + "\">"
         "<md:SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\" WantAssertionsSigned=\"true\">"
         "<md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"" +
         mno::saml::acs_url(m) + "\" index=\"0\" isDefault=\"true\"/></md:SPSSODescriptor></md:EntityDescriptor>";
}

std::string idp_metadata(const mno::config::Marketplace& m) {
  return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" + mno::saml::idp_sso_url(m) + "\">"
         "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
         "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data>"
         "<ds:X509Certificate>" + pem_body(m.sso.x509_certificate) + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
         "</md:KeyDescriptor><md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"" +
         mno::saml::idp_sso_url(m) + "\"/></md:IDPSSODescriptor></md:EntityDescriptor>";
}

// Runs Lasso as the SP on one SAMLResponse value; its output ("ACCEPTED nameid=…", "attr k=v" lines,
// or "REJECTED …") and exit status.
std::pair<int, std::string> lasso_consume(const std::string& dir, const std::string& saml_response) {
  std::ofstream(dir + "/response.b64") << saml_response;
  const std::string cmd = std::string(kDebianPython) + " " + data_path("lasso_sp.py") + " " + dir + "/sp.xml " + dir +
                          "/idp.xml " + dir + "/response.b64 > " + dir + "/out.txt 2>&1";
  int rc = std::system(cmd.c_str());
  return {rc, read_file(dir + "/out.txt")};
}

}  // namespace

// Lasso (Entr'ouvert's SAML library, an independent implementation) as the service provider accepts
// the response our IdP signer produces (the one mno-sandbox serves: libmno's build_signed_response
// with the sandbox seed key), reads the same NameID and attributes, and rejects it once tampered.
TEST_F(SamlTest, Interop_LassoServiceProvider) {
  if (std::system((std::string(kDebianPython) + " -c 'import lasso' > /dev/null 2>&1").c_str()) != 0)
    GTEST_SKIP() << "python3-lasso is not installed (apt-get install python3-lasso); Lasso interop not run";
  const std::string dir = testenv::temp_dir("lasso");
  std::ofstream(dir + "/sp.xml") << sp_metadata(m_);
  std::ofstream(dir + "/idp.xml") << idp_metadata(m_);
  // Lasso judges the time conditions on the real clock.
  auto built = mno::saml::build_signed_response(baseline_params(m_), idp_signing(), mno::SystemClock::instance(), random_);
  ASSERT_TRUE(built.ok()) << built.error().message;

  auto [rc, out] = lasso_consume(dir, built->base64);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("ACCEPTED nameid=usr-victim\n"), std::string::npos) << out;
  EXPECT_NE(out.find("attr mno_session=sess-token-1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("attr group_uid=cld-1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("attr surname=Tim & Sons\n"), std::string::npos) << "escaped value read back: " << out;

  // The same response with the NameID changed after signing: Lasso refuses it too.
  std::string tampered = built->xml;
  replace_first(tampered, ">usr-victim</", ">usr-admin</");
  auto [rc2, out2] = lasso_consume(dir, mno::base64_encode(tampered));
  EXPECT_NE(rc2, 0) << out2;
  EXPECT_NE(out2.find("REJECTED <lasso.DsSignatureVerificationFailedError"), std::string::npos) << out2;
  EXPECT_EQ(out2.find("usr-admin"), std::string::npos) << out2;

  // And an unsigned Assertion: Lasso insists on the signature as our SP does (S02).
  auto unsigned_signing = idp_signing();
  unsigned_signing.sign_assertion = false;
  auto bare = mno::saml::build_signed_response(baseline_params(m_), unsigned_signing, mno::SystemClock::instance(), random_);
  ASSERT_TRUE(bare.ok());
  auto [rc3, out3] = lasso_consume(dir, bare->base64);
  EXPECT_NE(rc3, 0) << out3;
  EXPECT_NE(out3.find("REJECTED <lasso.DsSignatureNotFoundError"), std::string::npos) << out3;
}

TEST_F(SamlTest, ValidatorIsUsableFromSeveralThreads) {
  constexpr int kThreads = 4, kPerThread = 15;
  std::vector<std::vector<std::string>> inputs(kThreads);
  for (auto& v : inputs)
    for (int i = 0; i < kPerThread; ++i) v.push_back(baseline().base64);
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (const auto& b64 : inputs[t]) {
        auto r = validator_->validate(b64, mno::saml::InResponseToCheck::expect(kRequestId));
        if (r.ok()) ++accepted;
        // A tampered one in between must still fail on every thread.
        std::string bad = b64;
        bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
        if (validator_->validate(bad, mno::saml::InResponseToCheck::expect(kRequestId)).ok()) accepted += 1000;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(accepted.load(), kThreads * kPerThread);
}
