// See placeholder_pages.hpp. The page is open to every member (it only describes). The billing page
// moved to billing_page.cpp.
#include "tally/web/placeholder_pages.hpp"

#include "tally/web/page_context.hpp"

namespace tally {

void add_placeholder_pages(web::Router& router, Services& services) {
  // The data-sharing page moved to data_sharing_page.cpp.
  (void)router;
  (void)services;
}

}  // namespace tally
