// Integration (loopback, real binaries): Tally configures itself from a running mno-sandbox's
// developer platform and serves the metadata endpoint (checklist 1.1.1) to good, bad, missing and
// cross-marketplace credentials; on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "mno/util/base64.hpp"
#include "support/platform/platform_fixture.hpp"
#include "support/test_env.hpp"

using namespace testenv;

namespace {

class MetadataEndpoint : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && postgres_url().empty()) {
      if (postgres_required()) FAIL() << "TALLY_TEST_PG_URL is not set but TALLY_REQUIRE_PG=1";
      GTEST_SKIP() << "PostgreSQL not configured (TALLY_TEST_PG_URL)";
    }
    sandbox = start_sandbox();
    ASSERT_TRUE(sandbox);
    std::string out;
    tally = start_tally({"--database", tally_database_url(GetParam())}, sandbox->devpl_env(), &out);
    ASSERT_TRUE(tally) << "tally did not start:\n" << out;
  }

  mno::http::Response metadata(const std::string& path, std::optional<std::pair<std::string, std::string>> basic) {
    return http_get(tally->url + path, basic);
  }

  std::pair<std::string, std::string> creds(const std::string& m) { return {sandbox->api_id(m), sandbox->api_key(m)}; }

  void expect_unauthorized(const mno::http::Response& r) {
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(nlohmann::json::parse(r.body), nlohmann::json({{"error", "Invalid credentials"}}));
    ASSERT_TRUE(r.header("www-authenticate"));
    EXPECT_EQ(r.header("www-authenticate")->rfind("Basic realm=", 0), 0u);
  }

  std::unique_ptr<SandboxProcess> sandbox;
  std::unique_ptr<TallyProcess> tally;
};

TEST_P(MetadataEndpoint, GoodCredentialsGetTheMarketplaceMetadataWithoutSecrets) {
  auto r = metadata("/maestrano/metadata/maestrano-sandbox", creds("maestrano-sandbox"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["marketplace"], "maestrano-sandbox");
  EXPECT_EQ(j["api"]["id"], sandbox->api_id("maestrano-sandbox"));
  EXPECT_EQ(j["api"]["host"], sandbox->url);
  EXPECT_EQ(j["sso"]["idp"], sandbox->url);
  EXPECT_EQ(j["sso"]["init_path"], "/maestrano/auth/saml/init/maestrano-sandbox");
  EXPECT_EQ(j["webhook"]["connec"]["notification_path"], "/maestrano/connec/notifications/maestrano-sandbox");
  EXPECT_FALSE(j["api"].contains("key"));
  EXPECT_EQ(r.body.find(sandbox->api_key("maestrano-sandbox")), std::string::npos) << "the API key leaked";
  EXPECT_EQ(r.body.find(sandbox->state["environment"]["api_secret"].get<std::string>()), std::string::npos);

  // The second marketplace is served with its own credentials.
  auto p = metadata("/maestrano/metadata/partner-market", creds("partner-market"));
  ASSERT_EQ(p.status, 200);
  EXPECT_EQ(nlohmann::json::parse(p.body)["api"]["id"], sandbox->api_id("partner-market"));
  // The SDKs' ".json" suffix is accepted.
  EXPECT_EQ(metadata("/maestrano/metadata/partner-market.json", creds("partner-market")).status, 200);
}

TEST_P(MetadataEndpoint, BadMissingAndCrossMarketplaceCredentialsGetTheSame401) {
  auto good = creds("maestrano-sandbox");
  expect_unauthorized(metadata("/maestrano/metadata/maestrano-sandbox", std::nullopt));
  expect_unauthorized(metadata("/maestrano/metadata/maestrano-sandbox", std::pair{good.first, good.second + "x"}));
  expect_unauthorized(metadata("/maestrano/metadata/maestrano-sandbox", std::pair{good.first, std::string()}));
  expect_unauthorized(metadata("/maestrano/metadata/maestrano-sandbox", std::pair{std::string("app-nobody"), good.second}));
  // Another marketplace's valid credentials do not open this one.
  expect_unauthorized(metadata("/maestrano/metadata/maestrano-sandbox", creds("partner-market")));
  // An unknown marketplace looks exactly like bad credentials.
  expect_unauthorized(metadata("/maestrano/metadata/no-such-market", good));
  // Two marketplaces are configured, so the un-suffixed path names none.
  expect_unauthorized(metadata("/maestrano/metadata", good));
  // Malformed Authorization headers.
  for (const std::string& h : std::vector<std::string>{"Bearer abc", "Basic", "Basic !!!!", "Basic " + mno::base64_encode("no-colon")}) {
    auto r = http_get(tally->url + "/maestrano/metadata/maestrano-sandbox", std::nullopt, {{"Authorization", h}});
    expect_unauthorized(r);
  }
}

TEST_P(MetadataEndpoint, HealthAndMetricsAreServed) {
  auto h = http_get(tally->url + "/healthz");
  EXPECT_EQ(h.status, 200);
  metadata("/maestrano/metadata/maestrano-sandbox", creds("maestrano-sandbox"));
  auto m = http_get(tally->url + "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("http_requests_total"), std::string::npos);
  EXPECT_NE(m.body.find("maestrano.metadata"), std::string::npos);
  auto landing = http_get(tally->url + "/");
  EXPECT_EQ(landing.status, 200);
  EXPECT_NE(landing.body.find("maestrano-sandbox"), std::string::npos);
  EXPECT_EQ(http_get(tally->url + "/static/app.css").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, MetadataEndpoint, ::testing::Values("sqlite", "postgresql"));

TEST(MetadataEndpointSingle, UnsuffixedPathServesTheOnlyMarketplace) {
  auto sandbox = start_sandbox();
  ASSERT_TRUE(sandbox);
  auto dir = temp_dir("single-market");
  auto doc = http_get(sandbox->url + "/control/v1/marketplaces/partner-market");
  ASSERT_EQ(doc.status, 200);
  std::string file = dir + "/markets.json";
  {
    std::ofstream out(file);
    out << nlohmann::json{{"marketplaces", {nlohmann::json::parse(doc.body)}}}.dump(2);
  }
  std::string out;
  auto tally = start_tally({"--database", "sqlite:" + dir + "/tally.db", "--marketplaces", file}, {}, &out);
  ASSERT_TRUE(tally) << out;
  auto ok = http_get(tally->url + "/maestrano/metadata",
                     std::pair{sandbox->api_id("partner-market"), sandbox->api_key("partner-market")});
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ok.body)["marketplace"], "partner-market");
}

}  // namespace
