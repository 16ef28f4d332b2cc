// Tests of dev-platform auto-configure through FakeHttpClient: settings from the environment, the
// request sent, and each failure mapped to its code.
#include <gtest/gtest.h>

#include <map>

#include "fixtures.hpp"
#include "mno/config/dev_platform.hpp"
#include "mno/http/basic_auth.hpp"
#include "mno/http/fake_http_client.hpp"

using namespace mno::config;
using mno::http::FakeHttpClient;

namespace {

auto env(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

DevPlatformSettings settings() {
  DevPlatformSettings s;
  s.host = "https://developer.example.com";
  s.env_key = "env-key";
  s.env_secret = "env-secret";
  return s;
}

const std::string kUrl = "https://developer.example.com/api/config/v1/marketplaces";

}  // namespace

TEST(DevPlatformEnv, ReadsAllVariables) {
  auto s = dev_platform_from_env(env({{"MNO_DEVPL_HOST", "https://dev.example.com/"},
                                      {"MNO_DEVPL_API_PATH", "/api/config/v1/marketplaces"},
                                      {"MNO_DEVPL_ENV_NAME", "my-app"},
                                      {"MNO_DEVPL_ENV_KEY", "k"},
                                      {"MNO_DEVPL_ENV_SECRET", "s"}}));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->env_name, "my-app");
  EXPECT_EQ(s->env_key, "k");
  EXPECT_EQ(s->env_secret, "s");
  EXPECT_EQ(s->url(), "https://dev.example.com/api/config/v1/marketplaces");
}

TEST(DevPlatformEnv, ApiPathDefaults) {
  auto s = dev_platform_from_env(env({{"MNO_DEVPL_HOST", "http://localhost:7000"}, {"MNO_DEVPL_ENV_KEY", "k"}, {"MNO_DEVPL_ENV_SECRET", "s"}}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->url(), "http://localhost:7000/api/config/v1/marketplaces");
}

TEST(DevPlatformEnv, ApiPathAsFullPathOrBase) {
  DevPlatformSettings s;
  s.host = "https://d.example.com/";
  for (auto path : {"/api/config/v1/marketplaces", "/api/config/v1/marketplaces/", "/api/config/v1", "/api/config/v1/",
                    "api/config/v1"}) {
    s.api_path = path;
    EXPECT_EQ(s.url(), "https://d.example.com/api/config/v1/marketplaces") << path;
  }
}

TEST(DevPlatformEnv, MissingVariableIsNamed) {
  std::map<std::string, std::string> full = {{"MNO_DEVPL_HOST", "https://d"}, {"MNO_DEVPL_ENV_KEY", "k"}, {"MNO_DEVPL_ENV_SECRET", "s"}};
  for (auto name : {"MNO_DEVPL_HOST", "MNO_DEVPL_ENV_KEY", "MNO_DEVPL_ENV_SECRET"}) {
    auto vars = full;
    vars.erase(name);
    auto s = dev_platform_from_env(env(vars));
    ASSERT_FALSE(s.ok()) << name;
    EXPECT_EQ(s.error().code, "config.missing_env");
    EXPECT_NE(s.error().message.find(name), std::string::npos) << s.error().message;
    vars[name] = "";
    EXPECT_EQ(dev_platform_from_env(env(vars)).error().code, "config.missing_env") << name;
  }
  full["MNO_DEVPL_HOST"] = "developer.example.com";
  EXPECT_EQ(dev_platform_from_env(env(full)).error().code, "config.invalid_env");
}

TEST(FetchMarketplaces, GoodResponse) {
  FakeHttpClient fake;
  fake.on("GET", kUrl, FakeHttpClient::json_response(200, fixtures::document({fixtures::marketplace("maestrano-uat")})));
  auto list = fetch_marketplaces(fake, settings());
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "maestrano-uat");

  auto req = fake.last_request();
  EXPECT_EQ(req.method, "GET");
  ASSERT_TRUE(req.basic_auth.has_value());
  EXPECT_EQ(req.basic_auth->first, "env-key");
  EXPECT_EQ(req.basic_auth->second, "env-secret");
  bool accept = false;
  for (const auto& [n, v] : req.headers) accept = accept || (n == "Accept" && v == "application/json");
  EXPECT_TRUE(accept);
}

TEST(FetchMarketplaces, Unauthorized) {
  FakeHttpClient fake;
  fake.on("GET", kUrl, FakeHttpClient::json_response(401, {{"error", "Could not authenticate"}}));
  EXPECT_EQ(fetch_marketplaces(fake, settings()).error().code, "config.devpl_unauthorized");
}

TEST(FetchMarketplaces, ServerError) {
  FakeHttpClient fake;
  fake.on("GET", kUrl, FakeHttpClient::text_response(500, "boom"));
  auto r = fetch_marketplaces(fake, settings());
  EXPECT_EQ(r.error().code, "config.devpl_status");
  EXPECT_NE(r.error().message.find("500"), std::string::npos);
}

TEST(FetchMarketplaces, NonJson) {
  FakeHttpClient fake;
  fake.on("GET", kUrl, FakeHttpClient::text_response(200, "<html>maintenance</html>", "text/html"));
  EXPECT_EQ(fetch_marketplaces(fake, settings()).error().code, "config.invalid_json");
}

TEST(FetchMarketplaces, ErrorKeyInBody) {
  FakeHttpClient fake;
  fake.on("GET", kUrl, FakeHttpClient::json_response(200, {{"error", "environment suspended"}}));
  auto r = fetch_marketplaces(fake, settings());
  EXPECT_EQ(r.error().code, "config.platform_error");
  EXPECT_NE(r.error().message.find("environment suspended"), std::string::npos);
}

TEST(FetchMarketplaces, NoMarketplacesKey) {
  FakeHttpClient fake;
  fake.on("GET", kUrl, FakeHttpClient::json_response(200, {{"data", nlohmann::json::array()}}));
  EXPECT_EQ(fetch_marketplaces(fake, settings()).error().code, "config.no_marketplaces_key");
}

TEST(FetchMarketplaces, TransportErrorNamesTheUrl) {
  FakeHttpClient fake;
  fake.on("GET", kUrl, mno::make_error("http.connect", "connection refused"));
  auto r = fetch_marketplaces(fake, settings());
  EXPECT_EQ(r.error().code, "config.devpl_unreachable");
  EXPECT_NE(r.error().message.find(kUrl), std::string::npos);
  EXPECT_EQ(r.error().message.find("env-secret"), std::string::npos);
}
