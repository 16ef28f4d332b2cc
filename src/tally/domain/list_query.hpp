// Parameters and result shape of every record list (customers, contacts, products, invoices): the
// HTML list pages and the JSON API pass the user's search, sort, page and filter straight through,
// and the services validate them (page ≥ 1, per_page 1..100, sort from the entity's whitelist).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tally {

struct ListQuery {
  std::string search;     // case-insensitive substring over the entity's text columns; % and _ are literal
  std::string sort;       // a whitelisted column name of the entity; "" = the entity's default
  bool descending = false;
  int page = 1;           // 1-based
  int per_page = 25;      // 1..100
  bool include_archived = false;
};

template <class T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;  // rows matching the query over all pages
  int page = 1;
  int per_page = 25;
  int64_t page_count() const { return per_page > 0 ? (total + per_page - 1) / per_page : 0; }
};

}  // namespace tally
