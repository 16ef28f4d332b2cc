// Small text helpers for normalising form input in the tenancy services (ASCII only on purpose:
// the codes and emails they apply to are ASCII; names keep their UTF-8 as typed).
#pragma once
#include <string>
#include <string_view>

namespace tally::ascii {

// Without leading/trailing ASCII whitespace.
std::string trim(std::string_view s);
std::string to_upper(std::string s);
std::string to_lower(std::string s);

}  // namespace tally::ascii
