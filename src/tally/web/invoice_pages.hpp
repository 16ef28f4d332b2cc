// GET/POST /app/invoices...: the invoice list (status filter), the editor with several lines ("Add line" re-renders without saving; totals computed on the server), the view page with totals and the status actions (mark sent, mark paid, void), and archive.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_invoice_pages(web::Router& router, Services& services);

}  // namespace tally
