// db::Row: one result row. Cells are addressed by index or by column name; column names are shared
// by all rows of one result. Typed accessors convert leniently between numeric kinds, but reading
// NULL through a non-optional accessor, or a column that does not exist, is a programming error
// and throws std::logic_error / std::out_of_range (use opt_* for nullable columns).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "mno/db/value.hpp"

namespace mno::db {

class Row {
 public:
  Row() = default;
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const std::vector<std::string>& columns() const;
  const Value& at(size_t i) const;
  const Value& at(std::string_view column) const;
  const Value& operator[](size_t i) const { return at(i); }
  // Index of a column by name; std::out_of_range when absent.
  size_t index_of(std::string_view column) const;

  bool is_null(size_t i) const { return at(i).is_null(); }
  int64_t i64(size_t i) const;
  double f64(size_t i) const;
  std::string text(size_t i) const;
  bool flag(size_t i) const { return i64(i) != 0; }
  std::optional<std::string> opt_text(size_t i) const;
  std::optional<int64_t> opt_i64(size_t i) const;
  std::optional<double> opt_f64(size_t i) const;

  bool is_null(std::string_view c) const { return is_null(index_of(c)); }
  int64_t i64(std::string_view c) const { return i64(index_of(c)); }
  double f64(std::string_view c) const { return f64(index_of(c)); }
  std::string text(std::string_view c) const { return text(index_of(c)); }
  bool flag(std::string_view c) const { return flag(index_of(c)); }
  std::optional<std::string> opt_text(std::string_view c) const { return opt_text(index_of(c)); }
  std::optional<int64_t> opt_i64(std::string_view c) const { return opt_i64(index_of(c)); }
  std::optional<double> opt_f64(std::string_view c) const { return opt_f64(index_of(c)); }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

}  // namespace mno::db
