// Customers, contacts, products and invoices in the browser: lists with search, sorting and pagination, create, view, edit, archive; the invoice editor with lines.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_record_pages(web::Router& router, Services& services);

}  // namespace tally
