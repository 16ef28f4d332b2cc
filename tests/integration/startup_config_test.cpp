// Integration (real binaries): bad configuration stops Tally at startup with one clear message
// naming the cause; --help describes every option; marketplaces refresh without a restart.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/platform/platform_fixture.hpp"
#include "support/test_env.hpp"

using namespace testenv;

namespace {

std::pair<int, std::string> tally_serve(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  std::vector<std::string> argv{"serve", "--port", std::to_string(free_port()), "--database",
                                "sqlite:" + temp_dir("startup") + "/t.db"};
  argv.insert(argv.end(), args.begin(), args.end());
  // Startup errors must not depend on whatever MNO_DEVPL_* the developer's shell has.
  for (auto n : {"MNO_DEVPL_HOST", "MNO_DEVPL_API_PATH", "MNO_DEVPL_ENV_NAME", "MNO_DEVPL_ENV_KEY", "MNO_DEVPL_ENV_SECRET"})
    env.emplace(n, "");
  return run_command(TALLY_BIN, argv, env);
}

TEST(Startup, NoMarketplaceSourceIsAClearError) {
  auto [rc, out] = tally_serve({});
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("no marketplace configuration"), std::string::npos) << out;
}

TEST(Startup, WrongDeveloperPlatformSecretIsAClearError) {
  auto sandbox = start_sandbox();
  ASSERT_TRUE(sandbox);
  auto env = sandbox->devpl_env();
  env["MNO_DEVPL_ENV_SECRET"] = "wrong";
  auto [rc, out] = tally_serve({}, env);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("401"), std::string::npos) << out;
  EXPECT_EQ(out.find("wrong"), std::string::npos) << "the secret must not be printed: " << out;
}

TEST(Startup, UnreachableDeveloperPlatformIsAClearError) {
  auto env = std::map<std::string, std::string>{{"MNO_DEVPL_HOST", "http://127.0.0.1:" + std::to_string(free_port())},
                                                {"MNO_DEVPL_ENV_KEY", "k"}, {"MNO_DEVPL_ENV_SECRET", "s"}};
  std::vector<std::string> argv{"serve", "--port", std::to_string(free_port()), "--database",
                                "sqlite:" + temp_dir("startup") + "/t.db"};
  auto [rc, out] = run_command(TALLY_BIN, argv, env);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find(env["MNO_DEVPL_HOST"]), std::string::npos) << "the message must name the URL: " << out;
}

TEST(Startup, MissingEnvironmentKeyNamesTheVariable) {
  auto [rc, out] = run_command(TALLY_BIN, {"serve", "--database", "sqlite:" + temp_dir("startup") + "/t.db"},
                               {{"MNO_DEVPL_HOST", "http://127.0.0.1:9"}, {"MNO_DEVPL_ENV_KEY", ""}, {"MNO_DEVPL_ENV_SECRET", "s"}});
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("MNO_DEVPL_ENV_KEY"), std::string::npos) << out;
}

TEST(Startup, BadFilesNameTheFileOrTheField) {
  auto dir = temp_dir("badfiles");
  auto [rc1, out1] = tally_serve({"--marketplaces", dir + "/missing.json"});
  EXPECT_NE(rc1, 0);
  EXPECT_NE(out1.find("missing.json"), std::string::npos) << out1;

  std::ofstream(dir + "/broken.json") << "{\"marketplaces\": [";
  auto [rc2, out2] = tally_serve({"--marketplaces", dir + "/broken.json"});
  EXPECT_NE(rc2, 0);
  EXPECT_NE(out2.find("broken.json"), std::string::npos) << out2;

  auto sandbox = start_sandbox();
  ASSERT_TRUE(sandbox);
  auto m = nlohmann::json::parse(http_get(sandbox->url + "/control/v1/marketplaces/maestrano-sandbox").body);
  m["api"].erase("key");
  std::ofstream(dir + "/nokey.json") << nlohmann::json{{"marketplaces", {m}}}.dump();
  auto [rc3, out3] = tally_serve({"--marketplaces", dir + "/nokey.json"});
  EXPECT_NE(rc3, 0);
  EXPECT_NE(out3.find("api.key"), std::string::npos) << out3;
}

TEST(Startup, BadDatabaseUrlIsAClearError) {
  auto [rc, out] = run_command(TALLY_BIN, {"serve", "--database", "mysql://x"}, {});
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("--database"), std::string::npos) << out;
}

TEST(Cli, HelpDescribesEveryOption) {
  auto [rc, out] = run_command(TALLY_BIN, {"serve", "--help"});
  EXPECT_EQ(rc, 0);
  for (auto opt : {"--database", "--listen", "--port", "--public-url", "--marketplaces", "--devpl-refresh", "--workers",
                   "--log-level", "TALLY_DATABASE", "MNO_DEVPL_HOST"})
    EXPECT_NE(out.find(opt), std::string::npos) << opt;
  auto [rc2, out2] = run_command(TALLY_BIN, {"--help"});
  EXPECT_EQ(rc2, 0);
  EXPECT_NE(out2.find("migrate"), std::string::npos);
  auto [rc3, out3] = run_command(SANDBOX_BIN, {"--help"});
  EXPECT_EQ(rc3, 0);
  for (auto opt : {"--port", "--database", "--public-url", "--app-host"}) EXPECT_NE(out3.find(opt), std::string::npos) << opt;
}

TEST(Cli, MigrateAppliesTheSchemaAndIsIdempotent) {
  auto url = "sqlite:" + temp_dir("migrate") + "/t.db";
  auto [rc, out] = run_command(TALLY_BIN, {"migrate", "--database", url});
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("schema version 0 -> "), std::string::npos) << out;
  auto [rc2, out2] = run_command(TALLY_BIN, {"migrate", "--database", url});
  EXPECT_EQ(rc2, 0) << out2;
  EXPECT_EQ(out2.find("schema version 0"), std::string::npos) << out2;
}

TEST(Refresh, MarketplaceChangesOnTheDeveloperPlatformReachTallyWithoutRestart) {
  auto sandbox = start_sandbox("http://old-host.example");
  ASSERT_TRUE(sandbox);
  std::string out;
  auto tally = start_tally({"--database", tally_database_url("sqlite"), "--devpl-refresh", "1"}, sandbox->devpl_env(), &out);
  ASSERT_TRUE(tally) << out;
  auto creds = std::pair{sandbox->api_id("maestrano-sandbox"), sandbox->api_key("maestrano-sandbox")};
  auto host = [&] {
    auto r = http_get(tally->url + "/maestrano/metadata/maestrano-sandbox", creds);
    return nlohmann::json::parse(r.body)["app"]["host"].get<std::string>();
  };
  EXPECT_EQ(host(), "http://old-host.example");
  mno::http::Request put;
  put.method = "PUT";
  put.url = sandbox->url + "/control/v1/marketplaces/maestrano-sandbox/app-host";
  put.body = R"({"app_host":"http://new-host.example"})";
  put.headers = {{"Content-Type", "application/json"}};
  ASSERT_EQ(http_send(put).status, 200);
  // Across processes the refresh interval is real time: poll with a deadline instead of a fixed sleep.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (host() != "http://new-host.example" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(host(), "http://new-host.example");
}

}  // namespace
