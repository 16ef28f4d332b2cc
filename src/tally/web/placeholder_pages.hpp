// Billing (/app/billing) and data-sharing (/app/data-sharing) pages: placeholders in the app's style that
// say what will appear there; the marketplace billing and Connec! issues fill them.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_placeholder_pages(web::Router& router, Services& services);

}  // namespace tally
