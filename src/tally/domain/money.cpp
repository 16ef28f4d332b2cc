// See money.hpp. One decimal parser serves money, percentages and quantities; they differ only
// in the number of decimals kept and in their messages.
#include "tally/domain/money.hpp"

#include <cctype>
#include <limits>

namespace tally {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

enum class DecimalError { none, blank, junk, too_many_decimals, too_large };

// Parses [+-]digits[,ddd...][.fraction] into an integer scaled by 10^decimals.
DecimalError parse_decimal(std::string_view text, int decimals, int64_t& out) {
  std::string_view s = trim(text);
  if (s.empty()) return DecimalError::blank;
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return DecimalError::junk;
  const size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (dot != std::string_view::npos && frac.empty()) return DecimalError::junk;  // "12."
  if (whole.empty() && frac.empty()) return DecimalError::junk;
  // Thousands separators: groups of exactly three digits after the first group of one to three.
  std::string digits;
  if (whole.find(',') != std::string_view::npos) {
    size_t group_start = 0;
    bool first = true;
    while (true) {
      const size_t comma = whole.find(',', group_start);
      const size_t len = (comma == std::string_view::npos ? whole.size() : comma) - group_start;
      if (first ? (len < 1 || len > 3) : len != 3) return DecimalError::junk;
      digits.append(whole.substr(group_start, len));
      if (comma == std::string_view::npos) break;
      group_start = comma + 1;
      first = false;
    }
  } else {
    digits = whole;
  }
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return DecimalError::junk;
  for (char c : frac)
    if (!std::isdigit(static_cast<unsigned char>(c))) return DecimalError::junk;
  if (static_cast<int>(frac.size()) > decimals) return DecimalError::too_many_decimals;
  // 18 significant digits always fit in int64; more is "too large" for every use here.
  size_t start = digits.find_first_not_of('0');
  if (start != std::string::npos && digits.size() - start + decimals > 18) return DecimalError::too_large;
  __int128 v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  for (int i = 0; i < decimals; ++i) v = v * 10 + (i < static_cast<int>(frac.size()) ? frac[i] - '0' : 0);
  out = static_cast<int64_t>(negative ? -v : v);
  return DecimalError::none;
}

std::string group_thousands(std::string digits) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Splits |v| into whole and fraction with the given number of decimals, sign separately.
void split(int64_t v, int64_t scale, bool& negative, uint64_t& whole, uint64_t& frac) {
  negative = v < 0;
  const uint64_t mag = negative ? (~static_cast<uint64_t>(v) + 1) : static_cast<uint64_t>(v);
  whole = mag / static_cast<uint64_t>(scale);
  frac = mag % static_cast<uint64_t>(scale);
}

std::string pad(uint64_t v, size_t width) {
  std::string s = std::to_string(v);
  while (s.size() < width) s.insert(s.begin(), '0');
  return s;
}

// Fraction digits with trailing zeros removed ("50" → "5", "00" → "").
std::string short_fraction(uint64_t frac, size_t width) {
  std::string s = pad(frac, width);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

}  // namespace

mno::Result<int64_t> parse_money(std::string_view text) {
  int64_t v = 0;
  switch (parse_decimal(text, 2, v)) {
    case DecimalError::none: return v;
    case DecimalError::blank: return mno::make_error("money.invalid", "is required");
    case DecimalError::too_many_decimals: return mno::make_error("money.invalid", "must have at most 2 decimals");
    case DecimalError::too_large: return mno::make_error("money.invalid", "is too large");
    case DecimalError::junk: break;
  }
  return mno::make_error("money.invalid", "must be an amount like 1234.50");
}

std::string format_money(int64_t cents) {
  bool neg;
  uint64_t whole, frac;
  split(cents, 100, neg, whole, frac);
  return (neg ? "-" : "") + group_thousands(std::to_string(whole)) + "." + pad(frac, 2);
}

std::string format_money_input(int64_t cents) {
  bool neg;
  uint64_t whole, frac;
  split(cents, 100, neg, whole, frac);
  return (neg ? "-" : "") + std::to_string(whole) + "." + pad(frac, 2);
}

mno::Result<int64_t> parse_percent(std::string_view text) {
  std::string_view s = trim(text);
  if (!s.empty() && s.back() == '%') s = trim(s.substr(0, s.size() - 1));
  int64_t v = 0;
  switch (parse_decimal(s, 2, v)) {
    case DecimalError::none:
      if (v < 0 || v > kMaxTaxRateBp) return mno::make_error("percent.invalid", "must be between 0 and 100");
      return v;
    case DecimalError::blank: return mno::make_error("percent.invalid", "is required");
    case DecimalError::too_many_decimals: return mno::make_error("percent.invalid", "must have at most 2 decimals");
    case DecimalError::too_large: return mno::make_error("percent.invalid", "must be between 0 and 100");
    case DecimalError::junk: break;
  }
  return mno::make_error("percent.invalid", "must be a percentage like 20 or 5.5");
}

std::string format_percent(int64_t basis_points) {
  bool neg;
  uint64_t whole, frac;
  split(basis_points, 100, neg, whole, frac);
  std::string f = short_fraction(frac, 2);
  return (neg ? "-" : "") + std::to_string(whole) + (f.empty() ? "" : "." + f);
}

mno::Result<int64_t> parse_quantity(std::string_view text) {
  int64_t v = 0;
  switch (parse_decimal(text, 3, v)) {
    case DecimalError::none:
      if (v > kMaxQuantityMilli || v < -kMaxQuantityMilli) return mno::make_error("quantity.invalid", "is too large");
      return v;
    case DecimalError::blank: return mno::make_error("quantity.invalid", "is required");
    case DecimalError::too_many_decimals: return mno::make_error("quantity.invalid", "must have at most 3 decimals");
    case DecimalError::too_large: return mno::make_error("quantity.invalid", "is too large");
    case DecimalError::junk: break;
  }
  return mno::make_error("quantity.invalid", "must be a number like 1.5");
}

std::string format_quantity(int64_t milli) {
  bool neg;
  uint64_t whole, frac;
  split(milli, 1000, neg, whole, frac);
  std::string f = short_fraction(frac, 3);
  return (neg ? "-" : "") + std::to_string(whole) + (f.empty() ? "" : "." + f);
}

__int128 divide_round_half_away(__int128 num, __int128 den) {
  const bool neg = num < 0;
  const __int128 mag = neg ? -num : num;
  // Adding half the divisor rounds the magnitude half up; for an odd divisor no exact half exists.
  const __int128 q = (mag + den / 2) / den;
  return neg ? -q : q;
}

mno::Result<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out)) return mno::make_error("money.overflow", "the amount is too large");
  return out;
}

mno::Result<LineAmounts> compute_line_amounts(int64_t quantity_milli, int64_t unit_price_cents, int64_t tax_rate_bp) {
  constexpr __int128 kMax = std::numeric_limits<int64_t>::max();
  const __int128 net = divide_round_half_away(static_cast<__int128>(quantity_milli) * unit_price_cents, 1000);
  if (net > kMax || net < -kMax) return mno::make_error("money.overflow", "the line amount is too large");
  const __int128 tax = divide_round_half_away(net * tax_rate_bp, 10000);
  if (tax > kMax || tax < -kMax) return mno::make_error("money.overflow", "the line tax is too large");
  LineAmounts a;
  a.net_cents = static_cast<int64_t>(net);
  a.tax_cents = static_cast<int64_t>(tax);
  auto total = checked_add(a.net_cents, a.tax_cents);
  if (!total) return mno::make_error("money.overflow", "the line total is too large");
  a.total_cents = *total;
  return a;
}

}  // namespace tally
