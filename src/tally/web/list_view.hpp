// What the four record list pages (customers, contacts, products, invoices) share: reading the
// list parameters from the query string, the sortable column headers, the pagination bar with
// links that keep the search, sort and filters, the friendly page for a list the services refuse
// (unknown sort, bad page), and the full lists of active records that fill the form <select>s.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "tally/app/services.hpp"
#include "tally/web/page_context.hpp"

namespace tally {

// The list as requested: the ListQuery handed to the service plus the raw text of its parameters
// (links are rebuilt from it, so a page link keeps exactly what the user chose).
struct ListRequest {
  ListQuery query;
  std::string sort_text;  // "" when the default sort
  std::string dir_text;   // "asc", "desc" or ""
  // Entity filters kept across sort and page links ("status", "customer_id"). Those the page shows
  // as a <select> in the search form (filter_selects) are not repeated as hidden inputs.
  struct Filter {
    std::string name, value;
    bool has_select = false;
  };
  std::vector<Filter> filters;
};

// Reads q, sort, dir, page, per_page (default `default_per_page`) and archived=1. Text that is not a
// number in page/per_page becomes 0, which the services refuse with a field message (→ friendly 400).
ListRequest parse_list_request(const web::Request& req, int default_per_page = 25);

struct ListColumn {
  std::string key;    // sort key from the entity's whitelist; "" = not sortable
  std::string label;
  bool numeric = false;  // right-aligned
};

// Sets on `view`: q, include_archived, columns (label, href, arrow, aria_sort, sortable, numeric),
// showing ("Showing 26–50 of 123" / "No … found"), has_prev/prev_href, has_next/next_href,
// page, page_count, archived_href (the toggle), is_empty. `base` is "/app/customers".
void add_list_chrome(ViewData& view, const std::string& base, const ListRequest& list, int64_t total, size_t shown,
                     const std::vector<ListColumn>& columns, const std::string& default_sort, const std::string& noun);

// validation.failed from a list (bad sort, page, per_page, status) → a 400 page that says what was
// wrong and links back to the plain list; any other error goes to ctx.error_response.
web::Response list_error(PageContext& ctx, const mno::Error& error, const std::string& base, const std::string& noun);

// "this invoice was changed ..." → "This invoice was changed ...".
std::string sentence_case(std::string message);

// Every non-archived record of the company, by name, for the form selects (the services page at
// 100 rows, so this follows the pages).
mno::Result<std::vector<Customer>> active_customers(Services& services, int64_t company_id);
mno::Result<std::vector<Contact>> active_contacts(Services& services, int64_t company_id);
mno::Result<std::vector<Product>> active_products(Services& services, int64_t company_id);

}  // namespace tally
