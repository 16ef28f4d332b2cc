// GET /app: the company dashboard (counts, revenue this month, latest invoices).
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_dashboard_page(web::Router& router, Services& services);

}  // namespace tally
