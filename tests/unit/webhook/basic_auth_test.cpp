// Tests of platform-call authentication: strict RFC 7617 parsing edge cases, tenant binding, and that
// every failure looks the same to the caller.
#include <gtest/gtest.h>

#include "mno/http/basic_auth.hpp"
#include "mno/util/base64.hpp"
#include "mno/webhook/basic_auth.hpp"

using namespace mno::webhook;
using mno::config::Marketplace;
using mno::config::Registry;

namespace {

Marketplace mk(std::string name, std::string id, std::string key) {
  Marketplace m;
  m.name = std::move(name);
  m.api.id = std::move(id);
  m.api.key = std::move(key);
  return m;
}

std::vector<std::string> basic(std::string_view user, std::string_view password) {
  return {mno::http::basic_auth_header_value(user, password)};
}

std::vector<std::string> raw(std::string value) { return {std::move(value)}; }

}  // namespace

TEST(ParseBasic, Valid) {
  auto c = parse_basic_authorization(basic("app-1", "secret"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->user, "app-1");
  EXPECT_EQ(c->password, "secret");
}

TEST(ParseBasic, SchemeIsCaseInsensitive) {
  for (auto scheme : {"basic", "BASIC", "bAsIc"}) {
    auto c = parse_basic_authorization(raw(std::string(scheme) + " YXBwLTE6c2VjcmV0"));
    ASSERT_TRUE(c.ok()) << scheme;
    EXPECT_EQ(c->user, "app-1");
  }
}

TEST(ParseBasic, ColonInPasswordSplitsAtTheFirstColon) {
  auto c = parse_basic_authorization(basic("app-1", "a:b:c"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user, "app-1");
  EXPECT_EQ(c->password, "a:b:c");
  auto empty_pw = parse_basic_authorization(basic("app-1", ""));
  ASSERT_TRUE(empty_pw.ok());
  EXPECT_EQ(empty_pw->password, "");
}

TEST(ParseBasic, Rejections) {
  const std::vector<std::vector<std::string>> bad = {
      {},                                                       // no header
      {"Basic YXBwLTE6c2VjcmV0", "Basic YXBwLTE6c2VjcmV0"},     // two headers
      raw(""),                                                  // empty
      raw("Basic"),                                             // scheme only
      raw("Basic "),                                            // empty token
      raw("Bearer YXBwLTE6c2VjcmV0"),                           // other scheme
      raw("Basics YXBwLTE6c2VjcmV0"),
      raw("Basic YXBwLTE6c2VjcmV0 extra"),                      // two tokens
      raw("Basic YXBwLTE6c2VjcmV0,Basic x"),
      raw("Basic YXBwLTE6c2VjcmV"),                             // bad base64 (length)
      raw("Basic YXBwLTE6c2VjcmV0="),                           // bad padding
      raw("Basic YXBw LTE6c2VjcmV0"),
      raw("Basic !!!!"),                                        // outside alphabet
      raw("Basic " + mno::base64_encode("no-colon")),           // no colon
      raw("Basic " + mno::base64_encode(":secret")),            // empty user-id
      raw("Basic " + mno::base64_encode("app\n1:secret")),      // control character
      raw("Basic " + std::string(5000, 'A')),                   // oversized
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    auto c = parse_basic_authorization(bad[i]);
    ASSERT_FALSE(c.ok()) << i;
    EXPECT_EQ(c.error().code, "webhook.unauthorized") << i;
  }
  // Optional whitespace around a field value is not part of it (RFC 9110 §5.5).
  EXPECT_TRUE(parse_basic_authorization(raw(" Basic YXBwLTE6c2VjcmV0\t")).ok());
}

TEST(ParseBasic, WhitespaceInsideBase64IsRejected) {
  EXPECT_FALSE(parse_basic_authorization(raw("Basic YXBwLTE6\nc2VjcmV0")).ok());
}

class Authenticate : public ::testing::Test {
 protected:
  Registry registry{{mk("maestrano", "app-1", "key-1"), mk("partner", "app-2", "key-2")}};
};

TEST_F(Authenticate, CredentialsOfThePathTenant) {
  auto m = authenticate_platform_call(registry, "partner", basic("app-2", "key-2"));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m)->name, "partner");
}

TEST_F(Authenticate, EveryFailureIsTheSameError) {
  struct Case {
    std::string path;
    std::vector<std::string> auth;
    std::string reason_contains;
  } cases[] = {
      {"maestrano", basic("app-2", "key-2"), "another marketplace"},  // cross-marketplace credentials
      {"maestrano", basic("app-1", "key-2"), "bad credentials"},      // another marketplace's key
      {"maestrano", basic("app-1", "wrong"), "bad credentials"},
      {"unknown", basic("app-1", "key-1"), "another marketplace"},
      {"unknown", basic("app-9", "x"), "unknown marketplace"},
      {"maestrano", {}, "no Authorization"},
      {"maestrano", raw("Bearer abc"), "not Basic"},
      {"", basic("app-1", "key-1"), "2 configured"},                   // no tenant in path, several configured
  };
  for (const auto& c : cases) {
    std::string reason;
    auto m = authenticate_platform_call(registry, c.path, c.auth, &reason);
    ASSERT_FALSE(m.ok()) << c.path << " " << c.reason_contains;
    EXPECT_EQ(m.error(), mno::make_error("webhook.unauthorized", "unauthorized")) << c.reason_contains;
    EXPECT_NE(reason.find(c.reason_contains), std::string::npos) << reason;
    EXPECT_EQ(reason.find("key-"), std::string::npos) << "never echo a secret: " << reason;
  }
}

TEST_F(Authenticate, EmptyPathMeansTheOnlyMarketplace) {
  Registry solo({mk("solo", "app-1", "key-1")});
  auto m = authenticate_platform_call(solo, "", basic("app-1", "key-1"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->name, "solo");
  EXPECT_FALSE(authenticate_platform_call(solo, "", basic("app-1", "nope")).ok());
  Registry none;
  EXPECT_FALSE(authenticate_platform_call(none, "", basic("app-1", "key-1")).ok());
}

TEST(WwwAuthenticate, QuotesAndEscapes) {
  EXPECT_EQ(www_authenticate_value("tally"), "Basic realm=\"tally\", charset=\"UTF-8\"");
  EXPECT_EQ(www_authenticate_value("a\"b\\c\r\nX: y"), "Basic realm=\"a\\\"b\\\\cX: y\", charset=\"UTF-8\"");
}
