// See record_pages.hpp. Each entity's pages live in their own file; this only registers them.
#include "tally/web/record_pages.hpp"

#include "tally/web/contact_pages.hpp"
#include "tally/web/customer_pages.hpp"
#include "tally/web/invoice_pages.hpp"
#include "tally/web/product_pages.hpp"

namespace tally {

void add_record_pages(web::Router& router, Services& services) {
  add_customer_pages(router, services);
  add_contact_pages(router, services);
  add_product_pages(router, services);
  add_invoice_pages(router, services);
}

}  // namespace tally
