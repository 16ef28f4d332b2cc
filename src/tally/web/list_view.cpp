// See list_view.hpp.
#include "tally/web/list_view.hpp"

#include <cctype>
#include <charconv>

#include "tally/assets.hpp"
#include "web/url.hpp"

namespace tally {
namespace {

int parse_int(const std::optional<std::string>& text, int fallback) {
  if (!text || text->empty()) return fallback;
  int v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || p != text->data() + text->size()) return 0;
  return v;
}

// The query string of a list link: what the user chose, with sort/dir/page replaced as given.
std::string list_href(const std::string& base, const ListRequest& list, int default_per_page, const std::string& sort,
                      const std::string& dir, int page, bool include_archived) {
  std::vector<std::pair<std::string, std::string>> p;
  if (!list.query.search.empty()) p.emplace_back("q", list.query.search);
  if (!sort.empty()) p.emplace_back("sort", sort);
  if (!dir.empty()) p.emplace_back("dir", dir);
  for (const auto& f : list.filters)
    if (!f.value.empty()) p.emplace_back(f.name, f.value);
  if (include_archived) p.emplace_back("archived", "1");
  if (list.query.per_page != default_per_page) p.emplace_back("per_page", std::to_string(list.query.per_page));
  if (page > 1) p.emplace_back("page", std::to_string(page));
  std::string out = base;
  char sep = '?';
  for (const auto& [k, v] : p) {
    out += sep + k + "=" + web::url_encode(v);
    sep = '&';
  }
  return out;
}

constexpr int kDefaultPerPage = 25;

template <class T, class Fetch>
mno::Result<std::vector<T>> all_pages(Fetch fetch) {
  std::vector<T> out;
  ListQuery q;
  q.per_page = 100;
  for (q.page = 1;; ++q.page) {
    auto page = fetch(q);
    if (!page) return page.error();
    for (auto& item : page->items) out.push_back(std::move(item));
    if (q.page >= page->page_count()) break;
  }
  return out;
}

}  // namespace

ListRequest parse_list_request(const web::Request& req, int default_per_page) {
  ListRequest out;
  out.query.search = req.query_param("q").value_or("");
  out.sort_text = req.query_param("sort").value_or("");
  out.dir_text = req.query_param("dir").value_or("");
  out.query.sort = out.sort_text;
  out.query.descending = out.dir_text == "desc";
  out.query.page = parse_int(req.query_param("page"), 1);
  out.query.per_page = parse_int(req.query_param("per_page"), default_per_page);
  out.query.include_archived = req.query_param("archived").value_or("") == "1";
  return out;
}

void add_list_chrome(ViewData& view, const std::string& base, const ListRequest& list, int64_t total, size_t shown,
                     const std::vector<ListColumn>& columns, const std::string& default_sort, const std::string& noun) {
  const ListQuery& q = list.query;
  const std::string current_sort = q.sort.empty() ? default_sort : q.sort;
  view.set("q", q.search);
  view.set("include_archived", q.include_archived);
  view.set("per_page", std::to_string(q.per_page));
  view.set("not_default_per_page", q.per_page != kDefaultPerPage);
  view.set("list_base", base);
  view.set("noun", noun);
  view.set("sort", list.sort_text);
  view.set("has_sort", !list.sort_text.empty());
  view.set("dir", list.dir_text);
  view.set("has_dir", !list.dir_text.empty());
  ViewData hidden{ViewData::type::list};
  for (const auto& f : list.filters) {
    if (f.has_select || f.value.empty()) continue;
    ViewData h;
    h.set("name", f.name);
    h.set("value", f.value);
    hidden.push_back(h);
  }
  view.set("filter_hidden", hidden);

  ViewData cols{ViewData::type::list};
  for (const auto& c : columns) {
    ViewData col;
    col.set("label", c.label);
    col.set("numeric", c.numeric);
    col.set("sortable", !c.key.empty());
    col.set("key", c.key);
    if (!c.key.empty()) {
      const bool sorted = c.key == current_sort;
      // Clicking the sorted column flips the direction; another column starts ascending.
      const std::string dir = sorted && !q.descending ? "desc" : "asc";
      col.set("href", list_href(base, list, kDefaultPerPage, c.key, dir, 1, q.include_archived));
      col.set("sorted", sorted);
      col.set("arrow", sorted ? (q.descending ? "▼" : "▲") : "");
      col.set("aria_sort", sorted ? (q.descending ? "descending" : "ascending") : "none");
    }
    cols.push_back(col);
  }
  view.set("columns", cols);

  const int64_t first = static_cast<int64_t>(q.page - 1) * q.per_page + 1;
  const int64_t last = first + static_cast<int64_t>(shown) - 1;
  view.set("is_empty", shown == 0);
  if (shown == 0)
    view.set("showing", total == 0 ? "No " + noun + " found" : "No " + noun + " on this page");
  else
    view.set("showing", "Showing " + std::to_string(first) + "–" + std::to_string(last) + " of " + std::to_string(total));
  const int64_t pages = q.per_page > 0 ? (total + q.per_page - 1) / q.per_page : 0;
  view.set("page", std::to_string(q.page));
  view.set("page_count", std::to_string(std::max<int64_t>(pages, 1)));
  view.set("has_prev", q.page > 1);
  if (q.page > 1)
    view.set("prev_href", list_href(base, list, kDefaultPerPage, list.sort_text, list.dir_text,
                                    static_cast<int>(std::min<int64_t>(q.page - 1, std::max<int64_t>(pages, 1))),
                                    q.include_archived));
  view.set("has_next", q.page < pages);
  if (q.page < pages)
    view.set("next_href", list_href(base, list, kDefaultPerPage, list.sort_text, list.dir_text, q.page + 1, q.include_archived));
  view.set("archived_href", list_href(base, list, kDefaultPerPage, list.sort_text, list.dir_text, 1, !q.include_archived));
}

web::Response list_error(PageContext& ctx, const mno::Error& error, const std::string& base, const std::string& noun) {
  if (error.code != "validation.failed") return ctx.error_response(error);
  std::string detail;
  for (const auto& [field, message] : error.fields) {
    if (!detail.empty()) detail += "; ";
    if (field == "sort") detail += "the sort column " + message;
    else if (field == "per_page") detail += "the number per page " + message;
    else if (field == "page") detail += "the page number " + message;
    else detail += "the " + field + " filter " + message;
  }
  if (detail.empty()) detail = error.message;
  ViewData view;
  view.set("noun", noun);
  view.set("message", sentence_case(detail) + ".");
  view.set("back_href", base);
  return ctx.page("list_error", "Cannot show " + noun, std::move(view), "", 400);
}

std::string sentence_case(std::string message) {
  if (!message.empty()) message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
  return message;
}

mno::Result<std::vector<Customer>> active_customers(Services& services, int64_t company_id) {
  return all_pages<Customer>([&](const ListQuery& q) { return services.customers.list(company_id, q); });
}

mno::Result<std::vector<Contact>> active_contacts(Services& services, int64_t company_id) {
  return all_pages<Contact>([&](const ListQuery& q) { return services.contacts.list(company_id, q); });
}

mno::Result<std::vector<Product>> active_products(Services& services, int64_t company_id) {
  return all_pages<Product>([&](const ListQuery& q) { return services.products.list(company_id, q); });
}

}  // namespace tally
