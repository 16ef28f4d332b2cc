// db::Value: one SQL parameter or result cell, the same on SQLite and PostgreSQL.
// It is a std::variant (std::get / std::visit / holds_alternative work) with extra converting
// constructors so call sites can pass ints, bools, C strings and optionals without ceremony.
#pragma once
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace mno::db {

using ValueVariant = std::variant<std::nullptr_t, int64_t, double, std::string>;

// Text and blobs are both std::string (blobs are raw bytes; bytea on PostgreSQL is (de)coded for you).
// Booleans are stored as integers 0/1 because SQLite has no boolean type; use INTEGER columns for flags.
class Value : public ValueVariant {
 public:
  Value() : ValueVariant(nullptr) {}
  Value(std::nullptr_t) : ValueVariant(nullptr) {}
  Value(std::nullopt_t) : ValueVariant(nullptr) {}
  Value(bool b) : ValueVariant(int64_t{b ? 1 : 0}) {}
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  Value(I v) : ValueVariant(static_cast<int64_t>(v)) {}
  template <std::floating_point F>
  Value(F v) : ValueVariant(static_cast<double>(v)) {}
  Value(const char* s) : ValueVariant(s ? ValueVariant(std::string(s)) : ValueVariant(nullptr)) {}
  Value(std::string s) : ValueVariant(std::move(s)) {}
  Value(std::string_view s) : ValueVariant(std::string(s)) {}
  template <class T>
  Value(const std::optional<T>& o) : Value(o ? Value(*o) : Value(nullptr)) {}

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(*this); }
  const ValueVariant& variant() const { return *this; }

  bool operator==(const Value& o) const { return variant() == o.variant(); }
};

// For test failure messages and logs: NULL, 42, 1.5, 'text'.
std::string to_debug_string(const Value& v);

}  // namespace mno::db
