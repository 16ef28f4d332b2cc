// The data-sharing page (/app/data-sharing): a placeholder in the app's style that says what will
// appear there until the Connec! issue fills it. (Billing has its own page: billing_page.hpp.)
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_placeholder_pages(web::Router& router, Services& services);

}  // namespace tally
