// Unit tests for mno/util: strict base64, ISO-8601 parsing, Result, randomness, secure compare.
#include <gtest/gtest.h>

#include "mno/util/base64.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"
#include "mno/util/secure_compare.hpp"

using namespace mno;

TEST(Base64, RoundTripsEveryLength) {
  std::string s;
  for (int i = 0; i < 40; ++i) {
    auto d = base64_decode(base64_encode(s));
    ASSERT_TRUE(d.ok()) << i;
    EXPECT_EQ(*d, s);
    s += static_cast<char>(i * 37);
  }
  EXPECT_EQ(base64_encode("app-1:secret"), "YXBwLTE6c2VjcmV0");
}

TEST(Base64, RefusesNonCanonicalInput) {
  EXPECT_FALSE(base64_decode("YQ").ok());        // missing padding
  EXPECT_FALSE(base64_decode("YR==").ok());      // non-zero trailing bits
  EXPECT_FALSE(base64_decode("Y===").ok());      // padding too early
  EXPECT_FALSE(base64_decode("YQ==YQ==").ok());  // data after padding
  EXPECT_FALSE(base64_decode("YW*j").ok());      // outside alphabet
  EXPECT_FALSE(base64_decode("YW Jj").ok());     // whitespace not allowed by default
  auto wrapped = base64_decode("YWJj\r\nZGVm", true);
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(*wrapped, "abcdef");
  EXPECT_EQ(base64_decode("!!!!").error().code, "base64.invalid");
}

TEST(Iso8601, ParsesUtcOffsetsAndFractions) {
  auto a = parse_iso8601("2026-11-28T15:30:00Z");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(format_iso8601(*a), "2026-11-28T15:30:00Z");
  auto b = parse_iso8601("2026-11-28T16:30:00+01:00");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  auto c = parse_iso8601("2026-11-28T15:30:00.250Z");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c - *a, std::chrono::milliseconds(250));
  EXPECT_EQ(format_iso8601(*parse_iso8601("1970-01-01T00:00:00Z")), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2024-02-29T23:59:59Z")), "2024-02-29T23:59:59Z");
}

TEST(Iso8601, RefusesMalformedTimes) {
  for (const char* s : {"", "2026-11-28", "2026-11-28T15:30:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
                        "2026-11-28T24:00:00Z", "2026-11-28T15:30:00Zjunk", "2026-11-28 15:30:00Z", "2026-11-28T15:30:00+0100"}) {
    auto r = parse_iso8601(s);
    EXPECT_FALSE(r.ok()) << s;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, "time.invalid");
    }
  }
}

TEST(Result, CarriesValueOrError) {
  Result<int> ok = 5;
  Result<int> bad = make_error("x.y", "broken");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "x.y");
  EXPECT_EQ(bad.value_or(7), 7);
  Status s;
  EXPECT_TRUE(s.ok());
  Status f = make_error("a.b", "c");
  EXPECT_EQ(f.error().message, "c");
}

TEST(Random, SeededIsDeterministicAndTokensHaveTheirShape) {
  SeededRandom a(42), b(42);
  EXPECT_EQ(a.hex_token(16), b.hex_token(16));
  SeededRandom c(42);
  auto t = c.hex_token(16);
  EXPECT_EQ(t.size(), 32u);
  EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
  auto u = SecureRandom::instance().url_token(32);
  EXPECT_EQ(u.size(), 43u);
  EXPECT_NE(SecureRandom::instance().url_token(32), u);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(a.uniform(7), 7u);
}

TEST(SecureCompare, ComparesContentAndLength) {
  EXPECT_TRUE(secure_equals("key-123", "key-123"));
  EXPECT_FALSE(secure_equals("key-123", "key-124"));
  EXPECT_FALSE(secure_equals("key-123", "key-1234"));
  EXPECT_FALSE(secure_equals("", "x"));
}

TEST(ManualClock, AdvancesOnlyWhenTold) {
  ManualClock clock;
  auto t0 = clock.now();
  clock.advance(std::chrono::seconds(90));
  EXPECT_EQ(clock.now() - t0, std::chrono::seconds(90));
}

TEST(Log, FormatsLogfmtWithQuoting) {
  EXPECT_EQ(log::format("http.request", {{"route", "/healthz"}, {"ua", "curl 8"}, {"q", "a\"b"}}),
            "event=http.request route=/healthz ua=\"curl 8\" q=\"a\\\"b\"");
}
