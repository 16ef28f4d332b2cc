// Company pages in the browser: company settings, team members and roles, API tokens, and the billing and data-sharing pages.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_company_pages(web::Router& router, Services& services);

}  // namespace tally
