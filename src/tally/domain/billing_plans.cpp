// See billing_plans.hpp. Prices are whole cents per currency, set by hand (no exchange rates).
#include "tally/domain/billing_plans.hpp"

#include <array>
#include <cstdio>

namespace tally {
namespace {

struct PriceRow {
  std::string_view currency;
  int64_t flat_cents;      // flat_monthly, per month
  int64_t seat_cents;      // per_seat_monthly, per seat and month
  int64_t sms_cents;       // one SMS reminder
};

constexpr std::array<PriceRow, 7> kPrices{{
    {"USD", 2900, 900, 25},
    {"EUR", 2700, 800, 25},
    {"GBP", 2400, 700, 20},
    {"AUD", 4500, 1400, 40},
    {"NZD", 4900, 1500, 40},
    {"CAD", 3900, 1200, 35},
    {"JPY", 420000, 130000, 4000},  // cents of a currency without minor units: the platform counts cents anyway
}};

const PriceRow& row_for(std::string_view currency, bool& fallback) {
  for (const auto& r : kPrices)
    if (r.currency == currency) {
      fallback = false;
      return r;
    }
  fallback = true;
  return kPrices[0];
}

Price make_price(const PriceRow& row, int64_t cents, bool fallback) {
  return Price{cents, std::string(row.currency), fallback};
}

}  // namespace

const std::vector<Plan>& billing_plans() {
  static const std::vector<Plan> all = {
      {"flat_monthly", "Flat monthly", PlanKind::flat},
      {"per_seat_monthly", "Per seat monthly", PlanKind::per_seat},
  };
  return all;
}

std::optional<Plan> find_plan(std::string_view code) {
  for (const auto& p : billing_plans())
    if (p.code == code) return p;
  return std::nullopt;
}

Price plan_unit_price(const Plan& plan, std::string_view currency) {
  bool fallback = false;
  const auto& row = row_for(currency, fallback);
  return make_price(row, plan.kind == PlanKind::flat ? row.flat_cents : row.seat_cents, fallback);
}

Price plan_monthly_price(const Plan& plan, int seats, std::string_view currency) {
  Price p = plan_unit_price(plan, currency);
  if (plan.kind == PlanKind::per_seat) p.cents *= seats < 1 ? 1 : seats;
  return p;
}

Price sms_reminder_price(std::string_view currency) {
  bool fallback = false;
  const auto& row = row_for(currency, fallback);
  return make_price(row, row.sms_cents, fallback);
}

std::string format_price(const Price& price) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%02lld %s", static_cast<long long>(price.cents / 100),
                static_cast<long long>(price.cents % 100), price.currency.c_str());
  return buf;
}

}  // namespace tally
