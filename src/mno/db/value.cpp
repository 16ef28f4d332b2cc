// Debug rendering of db::Value for test messages and logs.
#include "mno/db/value.hpp"

#include <fmt/format.h>

namespace mno::db {

std::string to_debug_string(const Value& v) {
  struct Visitor {
    std::string operator()(std::nullptr_t) const { return "NULL"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(const std::string& s) const { return "'" + s + "'"; }
  };
  return std::visit(Visitor{}, v.variant());
}

}  // namespace mno::db
