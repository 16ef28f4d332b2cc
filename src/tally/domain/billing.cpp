// See billing.hpp: the stored names of ledger kinds and states.
#include "tally/domain/billing.hpp"

#include <array>
#include <utility>

namespace tally {
namespace {

constexpr std::array<std::pair<ChargeKind, std::string_view>, 3> kKinds{{
    {ChargeKind::bill, "bill"}, {ChargeKind::recurring_bill, "recurring_bill"}, {ChargeKind::cancel_recurring, "cancel_recurring"}}};
constexpr std::array<std::pair<ChargeState, std::string_view>, 5> kStates{{{ChargeState::pending, "pending"},
                                                                            {ChargeState::sending, "sending"},
                                                                            {ChargeState::done, "done"},
                                                                            {ChargeState::failed, "failed"},
                                                                            {ChargeState::superseded, "superseded"}}};

}  // namespace

std::string_view to_string(ChargeKind kind) {
  for (const auto& [k, name] : kKinds)
    if (k == kind) return name;
  return "bill";
}

std::string_view to_string(ChargeState state) {
  for (const auto& [s, name] : kStates)
    if (s == state) return name;
  return "failed";
}

std::optional<ChargeKind> parse_charge_kind(std::string_view text) {
  for (const auto& [k, name] : kKinds)
    if (name == text) return k;
  return std::nullopt;
}

std::optional<ChargeState> parse_charge_state(std::string_view text) {
  for (const auto& [s, name] : kStates)
    if (name == text) return s;
  return std::nullopt;
}

}  // namespace tally
