// Tests of the small HTTP helpers: Basic header value, JSON request builder, Response header lookup.
#include <gtest/gtest.h>

#include "mno/http/basic_auth.hpp"
#include "mno/http/json_request.hpp"

using namespace mno::http;

TEST(BasicAuthHeader, EncodesUserColonPassword) {
  EXPECT_EQ(basic_auth_header_value("app-1", "secret"), "Basic YXBwLTE6c2VjcmV0");
  EXPECT_EQ(basic_auth_header_value("", ""), "Basic Og==");
  EXPECT_EQ(basic_auth_header_value("u", "p:q"), "Basic dTpwOnE=");
}

TEST(JsonRequest, SetsBodyAndHeaders) {
  auto r = json_request("PUT", "https://h/x", {{"a", 1}});
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.url, "https://h/x");
  EXPECT_EQ(r.body, "{\"a\":1}");
  auto has = [&](std::string n, std::string v) {
    for (const auto& h : r.headers)
      if (h.first == n && h.second == v) return true;
    return false;
  };
  EXPECT_TRUE(has("Content-Type", "application/json"));
  EXPECT_TRUE(has("Accept", "application/json"));
}

TEST(JsonRequest, NullBodySendsNothing) {
  auto r = json_request("GET", "https://h/x");
  EXPECT_TRUE(r.body.empty());
  for (const auto& h : r.headers) EXPECT_NE(h.first, "Content-Type");
}

TEST(JsonRequest, InvalidUtf8DoesNotThrow) {
  auto r = json_request("POST", "https://h/x", {{"name", std::string("bad\xff")}});
  EXPECT_NE(r.body.find("bad"), std::string::npos);
}

TEST(Response, HeaderLookupIsCaseInsensitiveFirstWins) {
  Response r;
  r.headers = {{"set-cookie", "a"}, {"set-cookie", "b"}};
  EXPECT_EQ(r.header("Set-Cookie").value_or(""), "a");
}
