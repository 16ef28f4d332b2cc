// Money, percent and quantity parsing/formatting, and the exact line arithmetic (rounding half
// away from zero, negative discount lines, overflow refused).
#include <gtest/gtest.h>

#include <limits>

#include "tally/domain/money.hpp"

using namespace tally;

TEST(Money, ParsesTypedAmounts) {
  EXPECT_EQ(parse_money("1234.5").value(), 123450);
  EXPECT_EQ(parse_money("1,234.50").value(), 123450);
  EXPECT_EQ(parse_money("-3").value(), -300);
  EXPECT_EQ(parse_money(" +7.05 ").value(), 705);
  EXPECT_EQ(parse_money("0.01").value(), 1);
  EXPECT_EQ(parse_money("1,000,000").value(), 100000000);
  EXPECT_EQ(parse_money("12,345,678.99").value(), 1234567899);
}

TEST(Money, RefusesJunkWithClearMessages) {
  EXPECT_EQ(parse_money("").error().message, "is required");
  EXPECT_EQ(parse_money("1.234").error().message, "must have at most 2 decimals");
  for (const char* bad : {"abc", "1.2.3", "12.", "1,23", "1234,567", ",123", "1,2345", "--1", "1e5", "$5", "-", "1 000"})
    EXPECT_EQ(parse_money(bad).error().message, "must be an amount like 1234.50") << bad;
  EXPECT_EQ(parse_money("123456789012345678").error().message, "is too large");
  EXPECT_EQ(parse_money("1").ok(), true);
  EXPECT_EQ(parse_money("abc").error().code, "money.invalid");
}

TEST(Money, Formats) {
  EXPECT_EQ(format_money(123450), "1,234.50");
  EXPECT_EQ(format_money(-300), "-3.00");
  EXPECT_EQ(format_money(5), "0.05");
  EXPECT_EQ(format_money(0), "0.00");
  EXPECT_EQ(format_money(100000000000), "1,000,000,000.00");
  EXPECT_EQ(format_money(std::numeric_limits<int64_t>::min()), "-92,233,720,368,547,758.08");
  EXPECT_EQ(format_money_input(123450), "1234.50");
  EXPECT_EQ(format_money_input(-5), "-0.05");
}

TEST(Percent, ParsesAndFormatsBasisPoints) {
  EXPECT_EQ(parse_percent("20").value(), 2000);
  EXPECT_EQ(parse_percent("5.5").value(), 550);
  EXPECT_EQ(parse_percent("12.25%").value(), 1225);
  EXPECT_EQ(parse_percent("100").value(), 10000);
  EXPECT_EQ(parse_percent("0").value(), 0);
  EXPECT_EQ(parse_percent("100.01").error().message, "must be between 0 and 100");
  EXPECT_EQ(parse_percent("-1").error().message, "must be between 0 and 100");
  EXPECT_EQ(parse_percent("5.555").error().message, "must have at most 2 decimals");
  EXPECT_EQ(parse_percent("x").error().message, "must be a percentage like 20 or 5.5");
  EXPECT_EQ(format_percent(2000), "20");
  EXPECT_EQ(format_percent(550), "5.5");
  EXPECT_EQ(format_percent(1225), "12.25");
  EXPECT_EQ(format_percent(5), "0.05");
}

TEST(Quantity, ParsesAndFormatsThousandths) {
  EXPECT_EQ(parse_quantity("3").value(), 3000);
  EXPECT_EQ(parse_quantity("1.5").value(), 1500);
  EXPECT_EQ(parse_quantity("0.333").value(), 333);
  EXPECT_EQ(parse_quantity("1,000").value(), 1000000);
  EXPECT_EQ(parse_quantity("0.3333").error().message, "must have at most 3 decimals");
  EXPECT_EQ(parse_quantity("two").error().message, "must be a number like 1.5");
  EXPECT_EQ(parse_quantity("1000000001").error().message, "is too large");
  EXPECT_EQ(format_quantity(3000), "3");
  EXPECT_EQ(format_quantity(1500), "1.5");
  EXPECT_EQ(format_quantity(333), "0.333");
  EXPECT_EQ(format_quantity(1001), "1.001");
}

TEST(LineAmounts, RoundHalfAwayFromZero) {
  // 3 × 0.33 = 0.99 exactly; 0.333 × 1.00 = 0.333 → 0.33; 0.335 × 1.00 = 0.335 → 0.34 (half up).
  EXPECT_EQ(compute_line_amounts(3000, 33, 0)->net_cents, 99);
  EXPECT_EQ(compute_line_amounts(333, 100, 0)->net_cents, 33);
  EXPECT_EQ(compute_line_amounts(335, 100, 0)->net_cents, 34);
  EXPECT_EQ(compute_line_amounts(335, -100, 0)->net_cents, -34);  // away from zero, not up
  EXPECT_EQ(compute_line_amounts(334, -100, 0)->net_cents, -33);
  // 0.333 × 3 units at 10.00: each line 3.33; three of them 9.99, never 10.00.
  auto a = compute_line_amounts(333, 1000, 0).value();
  EXPECT_EQ(a.net_cents, 333);
  // Tax: 0.25 net at 10% = 0.025 → 0.03; -0.25 → -0.03.
  EXPECT_EQ(compute_line_amounts(1000, 25, 1000)->tax_cents, 3);
  EXPECT_EQ(compute_line_amounts(1000, -25, 1000)->tax_cents, -3);
  auto t = compute_line_amounts(2500, 1999, 2000).value();  // 2.5 × 19.99 = 49.975 → 49.98; tax 9.996 → 10.00
  EXPECT_EQ(t.net_cents, 4998);
  EXPECT_EQ(t.tax_cents, 1000);
  EXPECT_EQ(t.total_cents, 5998);
}

TEST(LineAmounts, LargeValuesExactAndOverflowRefused) {
  auto big = compute_line_amounts(kMaxQuantityMilli, kMaxUnitPriceCents, 0);  // 1e9 × 1e11 cents > int64
  EXPECT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, "money.overflow");
  auto ok = compute_line_amounts(1'000'000'000, kMaxUnitPriceCents, 10000);  // 1e6 × 1e11 = 1e17, +100% tax
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->net_cents, 100'000'000'000'000'000);
  EXPECT_EQ(ok->total_cents, 200'000'000'000'000'000);
  EXPECT_FALSE(checked_add(std::numeric_limits<int64_t>::max(), 1).ok());
  EXPECT_EQ(checked_add(-5, 3).value(), -2);
}

TEST(LineAmounts, DivideRoundHalfAway) {
  EXPECT_EQ(static_cast<int64_t>(divide_round_half_away(5, 10)), 1);
  EXPECT_EQ(static_cast<int64_t>(divide_round_half_away(-5, 10)), -1);
  EXPECT_EQ(static_cast<int64_t>(divide_round_half_away(4, 10)), 0);
  EXPECT_EQ(static_cast<int64_t>(divide_round_half_away(-4, 10)), 0);
  EXPECT_EQ(static_cast<int64_t>(divide_round_half_away(2, 3)), 1);
}
