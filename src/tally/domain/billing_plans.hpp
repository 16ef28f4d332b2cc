// Tally's price list: the plans a company can be on (flat monthly, per seat monthly) and the paid
// in-app action (SMS reminder), priced per currency from a small table. A currency missing from the
// table falls back to the USD price charged in USD (the platform refuses unknown currencies, and a
// silent conversion would be a wrong charge): the billing page says so.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tally {

enum class PlanKind { flat, per_seat };

struct Plan {
  std::string code;  // stable: stored in subscriptions and sent in bill descriptions
  std::string name;  // shown to users
  PlanKind kind = PlanKind::flat;
};

inline constexpr std::string_view kDefaultPlan = "flat_monthly";
inline constexpr int kMaxSeats = 10000;

// Every plan, in display order: "flat_monthly", "per_seat_monthly".
const std::vector<Plan>& billing_plans();
std::optional<Plan> find_plan(std::string_view code);

// A price in one currency. fallback: the company's currency is not in the table, so this is the
// USD price in USD.
struct Price {
  int64_t cents = 0;
  std::string currency;
  bool fallback = false;
};

// Flat plans: the monthly price. Per-seat plans: the monthly price of ONE seat.
Price plan_unit_price(const Plan& plan, std::string_view currency);
// What one month of the plan costs: unit price, times seats for per-seat plans (seats >= 1).
Price plan_monthly_price(const Plan& plan, int seats, std::string_view currency);
// The price of one "send a reminder by SMS" action.
Price sms_reminder_price(std::string_view currency);

// "12.00 EUR" style amount for pages and descriptions.
std::string format_price(const Price& price);

}  // namespace tally
