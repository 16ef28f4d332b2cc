// Percent-decoding is strict and query parsing follows form encoding rules.
#include <gtest/gtest.h>

#include "web/url.hpp"

using web::parse_query;
using web::url_decode;
using web::url_encode;

TEST(UrlDecode, DecodesEscapesAndKeepsPlusInPaths) {
  EXPECT_EQ(url_decode("/a%20b/c%2Fd", false), "/a b/c/d");
  EXPECT_EQ(url_decode("a+b", false), "a+b");
  EXPECT_EQ(url_decode("a+b", true), "a b");
  EXPECT_EQ(url_decode("%e2%82%AC", false), "\xE2\x82\xAC");
  EXPECT_EQ(url_decode("", false), "");
}

TEST(UrlDecode, RejectsMalformedEscapes) {
  EXPECT_EQ(url_decode("%", false), std::nullopt);
  EXPECT_EQ(url_decode("abc%4", false), std::nullopt);
  EXPECT_EQ(url_decode("%zz", false), std::nullopt);
  EXPECT_EQ(url_decode("%g0", true), std::nullopt);
}

TEST(UrlEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(url_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(url_encode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
  EXPECT_EQ(url_decode(url_encode("x y+z/%"), false), "x y+z/%");
}

TEST(ParseQuery, SplitsDecodesAndDropsMalformedPairs) {
  auto q = parse_query("a=1&b=x+y&c&&d=%41%42&bad=%zz&a=2");
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>{"b", "x y"}));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ(q[3], (std::pair<std::string, std::string>{"d", "AB"}));
  EXPECT_EQ(q[4], (std::pair<std::string, std::string>{"a", "2"}));
  EXPECT_TRUE(parse_query("").empty());
}
