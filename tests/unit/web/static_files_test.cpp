// Static files: content types, caching headers, 304, and every way out of the root refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/test_env.hpp"
#include "web/static_files.hpp"

namespace fs = std::filesystem;
using web::Request;

namespace {
void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

struct StaticFixture : ::testing::Test {
  fs::path base = testenv::temp_dir("web_static");
  fs::path root = base / "public";
  web::Handler handler;
  void SetUp() override {
    write(root / "css" / "app.css", "body{}");
    write(root / "index.html", "<p>hi</p>");
    write(root / "blob.bin", "\x01\x02");
    write(base / "secret.txt", "top secret");
    fs::create_symlink(base / "secret.txt", root / "link-out.txt");
    fs::create_symlink(root / "index.html", root / "link-in.html");
    fs::create_directories(root / "dir");
    handler = web::static_files(root.string());
  }
  web::Response get(const std::string& rel, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.params["path"] = rel;
    r.headers = std::move(headers);
    return handler(r);
  }
};
}  // namespace

TEST_F(StaticFixture, ServesFilesWithTypeAndCaching) {
  auto r = get("css/app.css");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body{}");
  EXPECT_EQ(*r.header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(*r.header("cache-control"), "public, max-age=3600");
  ASSERT_NE(r.header("etag"), nullptr);
  EXPECT_EQ(*get("index.html").header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(*get("blob.bin").header("content-type"), "application/octet-stream");
  EXPECT_EQ(get("link-in.html").status, 200) << "symlinks inside the root are fine";
}

TEST_F(StaticFixture, IfNoneMatchGives304) {
  std::string etag = *get("index.html").header("etag");
  auto r = get("index.html", {{"if-none-match", etag}});
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(get("index.html", {{"if-none-match", "\"other\""}}).status, 200);
}

TEST_F(StaticFixture, MissingAndDirectoriesAre404) {
  EXPECT_EQ(get("nope.css").status, 404);
  EXPECT_EQ(get("dir").status, 404);
  EXPECT_EQ(get("").status, 404);
}

TEST_F(StaticFixture, TraversalIsRefused) {
  const std::vector<std::string> attempts = {"../secret.txt", "css/../../secret.txt", "/etc/passwd", "..", "./index.html",
                          "css/./app.css", "..\\secret.txt", "link-out.txt", std::string("index.html\0x", 12)};
  for (const std::string& bad : attempts) {
    auto r = get(bad);
    EXPECT_EQ(r.status, 404) << bad;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos);
  }
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(web::content_type_for("a/b.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(web::content_type_for("x.svg"), "image/svg+xml");
  EXPECT_EQ(web::content_type_for("dir.v1/noext"), "application/octet-stream");
}
