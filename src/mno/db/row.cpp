// db::Row accessors: lenient numeric conversion, strict about NULL and unknown columns.
#include "mno/db/row.hpp"

#include <charconv>
#include <stdexcept>

namespace mno::db {

namespace {
const std::vector<std::string>& no_columns() {
  static const std::vector<std::string> empty;
  return empty;
}

[[noreturn]] void null_access(size_t i) {
  throw std::logic_error("db::Row: column " + std::to_string(i) + " is NULL; use an opt_* accessor");
}
}  // namespace

const std::vector<std::string>& Row::columns() const { return columns_ ? *columns_ : no_columns(); }

const Value& Row::at(size_t i) const {
  if (i >= values_.size()) {
    throw std::out_of_range("db::Row: column index " + std::to_string(i) + " out of range (" +
                            std::to_string(values_.size()) + " columns)");
  }
  return values_[i];
}

const Value& Row::at(std::string_view column) const { return at(index_of(column)); }

size_t Row::index_of(std::string_view column) const {
  const auto& cols = columns();
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == column) return i;
  }
  throw std::out_of_range("db::Row: no column named '" + std::string(column) + "'");
}

std::optional<int64_t> Row::opt_i64(size_t i) const {
  const Value& v = at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), out);
    if (ec != std::errc() || end != p->data() + p->size()) {
      throw std::logic_error("db::Row: column " + std::to_string(i) + " holds text, not an integer");
    }
    return out;
  }
  return std::nullopt;
}

std::optional<double> Row::opt_f64(size_t i) const {
  const Value& v = at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    try {
      size_t used = 0;
      double d = std::stod(*p, &used);
      if (used == p->size()) return d;
    } catch (const std::exception&) {
    }
    throw std::logic_error("db::Row: column " + std::to_string(i) + " holds text, not a number");
  }
  return std::nullopt;
}

std::optional<std::string> Row::opt_text(size_t i) const {
  const Value& v = at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return to_debug_string(*p);
  return std::nullopt;
}

int64_t Row::i64(size_t i) const {
  auto v = opt_i64(i);
  if (!v) null_access(i);
  return *v;
}

double Row::f64(size_t i) const {
  auto v = opt_f64(i);
  if (!v) null_access(i);
  return *v;
}

std::string Row::text(size_t i) const {
  auto v = opt_text(i);
  if (!v) null_access(i);
  return std::move(*v);
}

}  // namespace mno::db
