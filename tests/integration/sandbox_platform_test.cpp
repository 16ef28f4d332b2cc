// Integration (real mno-sandbox over loopback): the developer-platform endpoint's authentication and
// document, the control API's validation, reset and lookups, and the admin page.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/platform/platform_fixture.hpp"

using namespace testenv;

namespace {

mno::http::Response send(const std::string& method, const std::string& url, const std::string& body) {
  mno::http::Request r;
  r.method = method;
  r.url = url;
  r.body = body;
  r.headers = {{"Content-Type", "application/json"}};
  return http_send(r);
}

TEST(SandboxDevPlatform, ServesTheMarketplacesOnlyToTheEnvironmentCredentials) {
  auto s = start_sandbox("http://127.0.0.1:7800");
  ASSERT_TRUE(s);
  auto env = s->devpl_env();
  auto ok = http_get(s->url + "/api/config/v1/marketplaces", std::pair{env["MNO_DEVPL_ENV_KEY"], env["MNO_DEVPL_ENV_SECRET"]});
  ASSERT_EQ(ok.status, 200);
  auto doc = nlohmann::json::parse(ok.body);
  ASSERT_EQ(doc["marketplaces"].size(), 2u);
  EXPECT_EQ(doc["marketplaces"][0]["app"]["host"], "http://127.0.0.1:7800");
  EXPECT_EQ(doc["marketplaces"][0]["sso"]["idp"], s->url);
  // The doubled slash some SDKs produce is accepted.
  EXPECT_EQ(http_get(s->url + "/api/config/v1//marketplaces", std::pair{env["MNO_DEVPL_ENV_KEY"], env["MNO_DEVPL_ENV_SECRET"]}).status, 200);
  for (auto creds : {std::optional<std::pair<std::string, std::string>>{},
                     std::optional{std::pair{env["MNO_DEVPL_ENV_KEY"], std::string("nope")}},
                     std::optional{std::pair{s->api_id("maestrano-sandbox"), s->api_key("maestrano-sandbox")}}}) {
    auto r = http_get(s->url + "/api/config/v1/marketplaces", creds);
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(r.header("www-authenticate"));
    EXPECT_EQ(r.body.find("marketplaces"), std::string::npos);
  }
}

TEST(SandboxControl, ValidatesBodiesAndNamesTheBadField) {
  auto s = start_sandbox();
  ASSERT_TRUE(s);
  auto path = s->url + "/control/v1/marketplaces/maestrano-sandbox/app-host";
  auto bad_json = send("PUT", path, "{not json");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad_json.body)["error"]["code"], "control.bad_json");
  auto missing = send("PUT", path, "{}");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(nlohmann::json::parse(missing.body)["error"]["message"].get<std::string>().find("app_host"), std::string::npos);
  auto scheme = send("PUT", path, R"({"app_host":"ftp://x"})");
  EXPECT_EQ(scheme.status, 400);
  auto unknown = send("PUT", s->url + "/control/v1/marketplaces/nope/app-host", R"({"app_host":"http://x"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(http_get(s->url + "/control/v1/marketplaces/nope").status, 404);
  // Nothing was changed by the rejected requests.
  auto state = nlohmann::json::parse(http_get(s->url + "/control/v1/state").body);
  EXPECT_EQ(state["marketplaces"][0]["app_host"], "http://127.0.0.1:1");
}

TEST(SandboxControl, ResetRestoresTheDeterministicSeed) {
  auto s = start_sandbox("http://first.example");
  ASSERT_TRUE(s);
  auto before = http_get(s->url + "/control/v1/state").body;
  ASSERT_EQ(send("PUT", s->url + "/control/v1/marketplaces/partner-market/app-host", R"({"app_host":"http://moved.example"})").status, 200);
  ASSERT_EQ(send("POST", s->url + "/control/v1/reset", R"({"app_host":"http://first.example"})").status, 200);
  EXPECT_EQ(http_get(s->url + "/control/v1/state").body, before);
  // The seed is the documented one (docs/sandbox.md).
  auto state = nlohmann::json::parse(before);
  EXPECT_EQ(state["environment"]["api_key"], "env-tally-demo-key");
  EXPECT_EQ(s->api_id("maestrano-sandbox"), "app-tally-sbx");
  EXPECT_EQ(state["marketplaces"][0]["idp_fingerprint"], "5b:dc:0c:3e:0a:6d:11:3a:9b:f6:3b:bf:31:73:d2:2c:53:5e:3f:5b");
}

TEST(SandboxAdmin, PageShowsEnvironmentAndMarketplaces) {
  auto s = start_sandbox();
  ASSERT_TRUE(s);
  auto page = http_get(s->url + "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("env-tally-demo-key"), std::string::npos);
  EXPECT_NE(page.body.find("partner-market"), std::string::npos);
  auto env = http_get(s->url + "/control/v1/devpl-env");
  EXPECT_NE(env.body.find("MNO_DEVPL_HOST=" + s->url + "\n"), std::string::npos);
}

}  // namespace
