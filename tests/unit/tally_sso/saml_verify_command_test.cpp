// `tally saml verify` in-process (run_saml_verify): ACCEPTED with the identity for a response signed
// with the marketplace's IdP key, REJECTED with the reason code for a tampered one; --settings and
// --marketplaces sources; argument errors.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "mno/config/marketplace_json.hpp"
#include "mno/util/base64.hpp"
#include "mno/util/iso8601.hpp"
#include "sso_test_support.hpp"
#include "support/test_env.hpp"
#include "tally/cli/commands.hpp"

using namespace ssotest;

namespace {

class SamlVerifyCommand : public SsoTest {
 protected:
  void SetUp() override {
    SsoTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    dir = testenv::temp_dir("saml-verify");
    auto good = idp_response("_0123456789abcdef0123456789abcdef", IdpUser{});
    write("good.b64", good.base64);
    std::string xml = good.xml;
    auto at = xml.find("ann@example.com");
    ASSERT_NE(at, std::string::npos);
    xml.replace(at, 3, "eve");  // after signing: the digest no longer matches
    write("tampered.xml", xml);
    write("settings.json", mno::config::marketplace_to_json(market, true).dump());
    write("markets.json", nlohmann::json{{"marketplaces", nlohmann::json::array({mno::config::marketplace_to_json(market, true)})}}.dump());
  }
  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(dir + "/" + name, std::ios::binary) << content;
    return dir + "/" + name;
  }
  int run(tally::SamlVerifyArgs args) {
    out.str("");
    err.str("");
    if (args.now.empty()) args.now = mno::format_iso8601(app->clock.now());
    return tally::run_saml_verify(args, out, err, [](const char*) { return std::optional<std::string>{}; });
  }
  std::string dir;
  std::ostringstream out, err;
};

TEST_P(SamlVerifyCommand, AcceptsAGoodResponseWithTheIdentity) {
  EXPECT_EQ(run({kMarket, "", "", dir + "/settings.json", dir + "/good.b64"}), 0) << err.str() << out.str();
  EXPECT_NE(out.str().find("ACCEPTED"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("usr-1"), std::string::npos) << out.str();
  EXPECT_EQ(run({kMarket, "", dir + "/markets.json", "", dir + "/good.b64"}), 0) << err.str() << out.str();
}

TEST_P(SamlVerifyCommand, RejectsATamperedResponseWithTheReasonCode) {
  EXPECT_EQ(run({kMarket, "", dir + "/markets.json", "", dir + "/tampered.xml"}), 1) << err.str();
  EXPECT_NE(out.str().find("REJECTED saml."), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("saml.signature_invalid"), std::string::npos) << out.str();
}

TEST_P(SamlVerifyCommand, RejectsAtALaterTime) {
  tally::SamlVerifyArgs a{kMarket, mno::format_iso8601(app->clock.now() + std::chrono::hours(3)), "", dir + "/settings.json",
                          dir + "/good.b64"};
  EXPECT_EQ(run(a), 1);
  EXPECT_NE(out.str().find("REJECTED saml.expired"), std::string::npos) << out.str();
}

TEST_P(SamlVerifyCommand, ArgumentErrorsExitWith2) {
  EXPECT_EQ(run({"nope", "", dir + "/markets.json", "", dir + "/good.b64"}), 2);
  EXPECT_NE(err.str().find("no marketplace named"), std::string::npos);
  EXPECT_EQ(run({kMarket, "yesterday", dir + "/markets.json", "", dir + "/good.b64"}), 2);
  EXPECT_EQ(run({kMarket, "", dir + "/markets.json", "", dir + "/missing"}), 2);
  EXPECT_EQ(run({"", "", "", "", dir + "/good.b64"}), 2) << "no marketplace source at all";
}

TALLY_INSTANTIATE_DATABASE_TESTS(SamlVerifyCommand);

}  // namespace
