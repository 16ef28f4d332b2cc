// Platform billing as plain data: the company's subscription (plan, seats, trial end, cancellation
// and retention dates) and the billing ledger, where every call Tally makes to the platform's
// Account API (create bill, create recurring bill, cancel recurring bill) is first a row with a
// unique local reference, written in the same transaction as its cause and sent later by the
// billing worker (worker/billing_dispatcher.hpp). Storage: store/billing_store.hpp.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/util/clock.hpp"

namespace tally {

struct BillingSettings {
  // Trial of a company whose group has no platform trial end (group_end_free_trial).
  std::chrono::seconds trial_length{std::chrono::hours(24 * 30)};
  // How long a cancelled company's data is kept before the retention job purges it.
  std::chrono::seconds retention{std::chrono::hours(24 * 90)};
  // Sends of one ledger row before a transport error / 5xx makes it failed.
  int max_attempts = 10;
  std::chrono::milliseconds retry_base{std::chrono::seconds(10)};  // full-jitter backoff base
  std::chrono::milliseconds retry_cap{std::chrono::hours(1)};      // and cap of one wait
  std::chrono::milliseconds lease{std::chrono::seconds(120)};      // claim lease of one send
};

// What a ledger row asks the platform to do.
enum class ChargeKind { bill, recurring_bill, cancel_recurring };
// pending: waiting for the worker (attempts > 0: a retry, possibly already applied on the platform)
// sending: claimed by a worker (lease) | done: the platform has it (platform_id)
// failed: rejected by the platform, or retries exhausted (last_error says why; shown to admins)
// superseded: never sent and no longer wanted (a plan change replaced a recurring bill not yet sent)
enum class ChargeState { pending, sending, done, failed, superseded };

std::string_view to_string(ChargeKind kind);    // "bill", "recurring_bill", "cancel_recurring"
std::string_view to_string(ChargeState state);  // "pending", "sending", "done", "failed", "superseded"
std::optional<ChargeKind> parse_charge_kind(std::string_view text);
std::optional<ChargeState> parse_charge_state(std::string_view text);

struct Charge {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string reference;  // unique, [A-Za-z0-9_-]; travels in the description ([ref:...], bill_reference.hpp)
  ChargeKind kind = ChargeKind::bill;
  ChargeState state = ChargeState::pending;
  std::string description;  // without the reference marker
  int64_t price_cents = 0;  // bill: the amount; recurring: the amount per period; cancel: 0
  std::string currency;
  std::string plan_code;  // recurring: the plan it bills ("" otherwise)
  int seats = 0;          // recurring per-seat: seats billed
  std::optional<std::string> start_date;  // recurring: ISO-8601 first charge
  std::string period;                     // recurring: "Month"
  int frequency = 1;
  std::optional<int64_t> target_charge_id;  // cancel_recurring: the recurring_bill row it cancels
  std::optional<std::string> platform_id;   // bill-… / rbill-… once known
  std::optional<std::string> platform_status;
  int attempts = 0;  // sends started; the fencing token of the lease
  mno::TimePoint next_attempt_at{};
  std::optional<std::string> lease_owner;
  std::optional<mno::TimePoint> lease_expires_at;
  std::optional<std::string> last_error;  // "code: message"
  std::string created_at;  // ISO-8601
  std::string updated_at;
};

struct Subscription {
  int64_t company_id = 0;
  std::string plan_code;
  int seats = 1;
  std::string trial_ends_at;  // ISO-8601; the first recurring charge is never before it
  bool trial_from_platform = false;  // true: the group's free-trial end, false: Tally's own trial length
  std::optional<int64_t> recurring_charge_id;  // ledger row of the current recurring bill
  std::optional<std::string> cancelled_at;     // account group webhook
  std::optional<std::string> purge_after;      // cancelled_at + retention
  std::optional<std::string> purged_at;
  std::string created_at;
  std::string updated_at;
  int64_t version = 1;
};

// What the billing page shows.
struct BillingOverview {
  bool platform_billing = false;  // false: the company never came from a marketplace
  std::optional<Subscription> subscription;
  std::optional<std::string> next_charge_at;  // ISO-8601 of the next recurring charge
  int64_t next_charge_cents = 0;
  std::string currency;
  bool price_fallback = false;  // the company's currency is not priced; USD is charged
  int active_members = 0;
  std::vector<Charge> charges;  // newest first
};

}  // namespace tally
