// Exact money, percentages and quantities for the records area. Amounts are integer cents,
// tax rates integer basis points (1% = 100), quantities integer thousandths (1.5 = 1500), so no
// total ever depends on floating point. Parsing takes the text a user typed ("1,234.50", "-3",
// "20%", "0.333") and returns a message fit to show next to the field; formatting gives the
// display form ("1,234.50") and the form to put back in an input ("1234.50").
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "mno/util/result.hpp"

namespace tally {

// Limits shared by validation and the tests.
inline constexpr int64_t kMaxUnitPriceCents = 100'000'000'000;   // |price| ≤ 1e11 cents (1 billion units)
inline constexpr int64_t kMaxQuantityMilli = 1'000'000'000'000;  // ≤ 1,000,000,000.000 units
inline constexpr int64_t kMaxTaxRateBp = 10'000;                 // 100.00 %

// "1234.5", "1,234.50", "-3", "+7.05", " 12 " → cents. Thousands separators must group by three.
// Errors (code "money.invalid"; the message completes "<field> ..."): "is required" for blank text,
// "must have at most 2 decimals", "must be an amount like 1234.50", "is too large".
mno::Result<int64_t> parse_money(std::string_view text);
// Display form with thousands separators and 2 decimals: 123450 → "1,234.50", -300 → "-3.00".
std::string format_money(int64_t cents);
// Input form without separators: 123450 → "1234.50".
std::string format_money_input(int64_t cents);

// "20", "5.5", "12.25", "7%" → basis points 0..10000. Errors (code "percent.invalid"):
// "is required", "must have at most 2 decimals", "must be a percentage like 20 or 5.5",
// "must be between 0 and 100".
mno::Result<int64_t> parse_percent(std::string_view text);
// 2000 → "20", 550 → "5.5", 1225 → "12.25".
std::string format_percent(int64_t basis_points);

// "3", "1.5", "0.333", "1,000" → thousandths (sign allowed; callers check > 0). Errors (code
// "quantity.invalid"): "is required", "must have at most 3 decimals", "must be a number like 1.5",
// "is too large".
mno::Result<int64_t> parse_quantity(std::string_view text);
// 3000 → "3", 1500 → "1.5", 333 → "0.333" (no separators: fits an input and a display).
std::string format_quantity(int64_t milli);

// num / den rounded half away from zero (den > 0). Exposed for the tests and the totals code.
__int128 divide_round_half_away(__int128 num, __int128 den);

// Line arithmetic, exact: net = quantity × unit price rounded half away from zero to the cent;
// tax = net × rate rounded the same way; total = net + tax. Error "money.overflow" when a value
// does not fit in int64.
struct LineAmounts {
  int64_t net_cents = 0;
  int64_t tax_cents = 0;
  int64_t total_cents = 0;
};
mno::Result<LineAmounts> compute_line_amounts(int64_t quantity_milli, int64_t unit_price_cents, int64_t tax_rate_bp);
// a + b, or "money.overflow".
mno::Result<int64_t> checked_add(int64_t a, int64_t b);

}  // namespace tally
