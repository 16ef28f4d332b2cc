// Tests of loading the marketplace document from a file: success and errors that name the file.
#include <gtest/gtest.h>

#include <fstream>

#include "fixtures.hpp"
#include "mno/config/config_file.hpp"
#include "support/test_env.hpp"

using namespace mno::config;

namespace {
std::string write(const std::string& name, const std::string& content) {
  std::string path = testenv::temp_dir("config_file") + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}
}  // namespace

TEST(ConfigFile, LoadsTheDocument) {
  auto path = write("ok.json", fixtures::document({fixtures::marketplace("a"), fixtures::marketplace("b", "app-2", "k2")}).dump(2));
  auto list = load_marketplaces_file(path);
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->size(), 2u);
}

TEST(ConfigFile, MissingFile) {
  auto r = load_marketplaces_file("/nonexistent/dir/marketplaces.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "config.file_unreadable");
  EXPECT_NE(r.error().message.find("/nonexistent/dir/marketplaces.json"), std::string::npos);
}

TEST(ConfigFile, DirectoryIsUnreadable) {
  auto r = load_marketplaces_file(testenv::temp_dir("config_dir"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "config.file_unreadable");
}

TEST(ConfigFile, SyntaxErrorNamesFileAndPosition) {
  auto path = write("bad.json", "{\"marketplaces\": [ {,] }");
  auto r = load_marketplaces_file(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "config.file_invalid");
  EXPECT_NE(r.error().message.find(path), std::string::npos);
  EXPECT_NE(r.error().message.find("at byte 21"), std::string::npos) << r.error().message;
}

TEST(ConfigFile, ValidationErrorKeepsItsCodeAndNamesTheFile) {
  auto m = fixtures::marketplace("a");
  m["api"].erase("key");
  auto path = write("missing.json", fixtures::document({m}).dump());
  auto r = load_marketplaces_file(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "config.missing_field");
  EXPECT_NE(r.error().message.find(path), std::string::npos);
  EXPECT_NE(r.error().message.find("api.key"), std::string::npos);

  auto arr = write("array.json", "[1]");
  EXPECT_EQ(load_marketplaces_file(arr).error().code, "config.file_invalid");
}
