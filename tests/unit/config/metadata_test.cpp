// Tests of the metadata endpoint body: the spec §2 shape, and no secret anywhere in it.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "mno/config/marketplace_json.hpp"
#include "mno/config/metadata.hpp"

using namespace mno::config;

TEST(Metadata, ShapeAndNoSecrets) {
  auto m = marketplace_from_json(fixtures::marketplace("maestrano-uat", "app-1", "0123456789abcdef-the-secret"));
  ASSERT_TRUE(m.ok());
  auto j = metadata_json(*m);

  std::vector<std::string> top;
  for (auto& [k, v] : j.items()) top.push_back(k);
  EXPECT_EQ(top, (std::vector<std::string>{"api", "app", "connec", "environment", "marketplace", "sso", "webhook"}));
  EXPECT_EQ(j["environment"], "my-app");
  EXPECT_EQ(j["marketplace"], "maestrano-uat");
  EXPECT_EQ(j["app"], (nlohmann::json{{"host", "http://localhost:63705"}}));

  auto keys = [](const nlohmann::json& o) {
    std::vector<std::string> out;
    for (auto& [k, v] : o.items()) out.push_back(k);
    return out;
  };
  EXPECT_EQ(keys(j["api"]), (std::vector<std::string>{"base", "host", "id", "lang", "lang_version", "version"}));
  EXPECT_EQ(j["api"]["lang"], "cpp");
  EXPECT_EQ(j["api"]["id"], "app-1");
  EXPECT_EQ(keys(j["sso"]), (std::vector<std::string>{"consume_path", "idm", "idp", "init_path", "name_id_format",
                                                       "x509_certificate", "x509_fingerprint"}));
  EXPECT_EQ(j["sso"]["idm"], "http://localhost:63705");  // empty idm resolved to app.host
  EXPECT_EQ(keys(j["connec"]), (std::vector<std::string>{"base_path", "host"}));
  EXPECT_EQ(keys(j["webhook"]["account"]), (std::vector<std::string>{"group_path", "group_user_path"}));
  EXPECT_EQ(keys(j["webhook"]["connec"]), (std::vector<std::string>{"external_ids", "notification_path"}));

  std::string text = j.dump();
  EXPECT_EQ(text.find("the-secret"), std::string::npos);
  EXPECT_EQ(text.find("\"key\""), std::string::npos);
  EXPECT_EQ(text.find("token"), std::string::npos);
}
