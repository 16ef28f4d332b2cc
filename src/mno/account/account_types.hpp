// The Account API resources as plain data (spec 5.2-5.4): what the platform returns (Bill,
// RecurringBill, Group, User), what the app sends to create a charge (NewBill, NewRecurringBill),
// and the listing filters (spec 5.1). JSON mapping lives in account_json.hpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mno/util/clock.hpp"

namespace mno::account {

// A one-off charge (spec 5.2). status: "submitted" -> "invoiced" | "cancelled".
struct Bill {
  std::string id;  // bill-…
  std::string group_id;
  int64_t price_cents = 0;
  std::string currency;
  std::string description;
  double units = 1;  // decimal(10,2) on the platform
  std::optional<TimePoint> period_started_at;
  std::optional<TimePoint> period_ended_at;
  bool third_party = false;
  std::string status;
  std::optional<TimePoint> created_at;
  std::optional<TimePoint> updated_at;
};

struct NewBill {
  std::string group_id;     // required
  int64_t price_cents = 0;  // required, > 0
  std::string description;  // required; see bill_reference.hpp for the local reference it can carry
  std::string currency;     // "" = not sent (platform default AUD)
  std::optional<double> units;  // not sent when absent (platform default 1)
  std::optional<TimePoint> period_started_at;
  std::optional<TimePoint> period_ended_at;
  bool third_party = false;  // sent only when true
};

// A recurring charge (spec 5.3). status: "submitted" | "active" | "expired" | "cancelled".
struct RecurringBill {
  std::string id;  // rbill-…
  std::string group_id;
  int64_t price_cents = 0;
  std::string currency;
  std::string description;
  std::string period;  // day, week, semimonth, month, year (the sandboxes answer lowercase)
  int frequency = 1;
  std::optional<int> cycles;  // nullopt = unlimited
  std::optional<TimePoint> start_date;
  int64_t initial_cents = 0;
  std::string status;
  std::optional<TimePoint> created_at;
  std::optional<TimePoint> updated_at;
  std::optional<TimePoint> last_execution_at;
  std::optional<TimePoint> next_execution_at;
  std::optional<int> remaining_cycles;
};

struct NewRecurringBill {
  std::string group_id;     // required
  int64_t price_cents = 0;  // required, > 0
  std::string description;  // required
  std::string currency;     // "" = not sent (platform default AUD)
  std::string period;       // "" = not sent (platform default Month); Day, Week, SemiMonth, Month, Year
  std::optional<int> frequency;
  std::optional<int> cycles;           // nullopt = unlimited
  std::optional<TimePoint> start_date; // nullopt = now (platform side); more than 1 h in the past is refused
  std::optional<int64_t> initial_cents;
};

// A customer organisation (spec 5.4); free_trial_end_at is the platform's trial end (spec 5.5).
struct Group {
  std::string id;  // cld-…
  std::string name;
  std::string email;
  bool has_credit_card = false;
  std::optional<TimePoint> free_trial_end_at;
  std::string currency;
  std::string country;
  std::string city;
  std::string timezone;
  std::string status;  // running | terminated
  std::optional<TimePoint> created_at;
  std::optional<TimePoint> updated_at;
};

struct User {
  std::string id;  // usr-…
  std::string name;
  std::string surname;
  std::string email;
  std::string company_name;
  std::string country;
  std::string sso_session;
  std::optional<TimePoint> created_at;
  std::optional<TimePoint> updated_at;
};

// Listing filters (spec 5.1): equality on group_id and status, plus any raw "<column>[_suffix]=value"
// pairs (e.g. {"created_at_after", "2026-01-01T00:00:00Z"}). Sent in the query string, in this order.
struct ListQuery {
  std::string group_id;  // "" = not sent
  std::string status;    // "" = not sent
  std::vector<std::pair<std::string, std::string>> extra;
};

}  // namespace mno::account
