// The app's unique local reference carried inside a bill's description, so that after an ambiguous
// create the app can find "its" bill among a group's bills. The spec's whitelisted bill fields
// (5.2) have no metadata or external-id field, and description is required and free text (shown on
// the invoice), so the reference travels there as a trailing marker: "SMS reminders x3 [ref:chg-42]".
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace mno::account {

// 1-64 characters of [A-Za-z0-9_-].
bool is_valid_reference(std::string_view reference);
// description + " [ref:<reference>]" (precondition: is_valid_reference).
std::string description_with_reference(std::string_view description, std::string_view reference);
// The reference of a trailing " [ref:...]" marker, if the description ends with a valid one.
std::optional<std::string> reference_in(std::string_view description);

}  // namespace mno::account
