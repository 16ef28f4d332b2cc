// Strict ISO-8601 / RFC 3339 timestamps as SAML and the platform send them
// ("2026-11-28T15:30:00Z", optional fraction, "Z" or ±hh:mm offset). Anything else is an error,
// never a silently wrong time (the SDKs crashed or misread such values: spec §8.8).
#pragma once
#include <string>
#include <string_view>
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno {

Result<TimePoint> parse_iso8601(std::string_view text);
// UTC, second precision, "Z" suffix: the form SAML and the platform use.
std::string format_iso8601(TimePoint t);

}  // namespace mno
