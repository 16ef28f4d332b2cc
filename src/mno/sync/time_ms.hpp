// Internal: the sync tables store times as epoch milliseconds; these convert to and from TimePoint.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mno/db/value.hpp"
#include "mno/util/clock.hpp"

namespace mno::sync::detail {

inline int64_t to_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_ms(int64_t ms) {
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms))};
}
inline std::optional<TimePoint> from_ms(std::optional<int64_t> ms) {
  if (!ms) return std::nullopt;
  return from_ms(*ms);
}
inline db::Value ms_value(std::optional<TimePoint> t) { return t ? db::Value(to_ms(*t)) : db::Value(nullptr); }

inline std::string truncate(std::string_view s, size_t n) { return std::string(s.substr(0, n)); }

}  // namespace mno::sync::detail
