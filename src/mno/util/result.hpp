// Result<T>: errors as values at module borders. An Error carries a stable machine code
// ("db.busy", "config.missing_field", ...) for callers and tests, and a human message for logs.
#pragma once
#include <cassert>
#include <map>
#include <string>
#include <utility>
#include <variant>

namespace mno {

struct Error {
  std::string code;     // stable, dotted: "<module>.<reason>"
  std::string message;  // human readable, safe to log (never contains secrets)
  std::map<std::string, std::string> fields;  // optional per-field details (validation errors)
  bool operator==(const Error&) const = default;
};

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message), {}};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T value_or(T fallback) const { return ok() ? std::get<0>(v_) : std::move(fallback); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return err_; }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace mno
