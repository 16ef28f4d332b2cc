// GET/POST /app/customers...: the customer list, form (with billing and shipping address), view page (with the customer's contacts and invoices) and archive.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_customer_pages(web::Router& router, Services& services);

}  // namespace tally
