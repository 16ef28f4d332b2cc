// The JSON API /api/v1/{customers,contacts,products,invoices}, authenticated by session (with CSRF) or API token.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_api_routes(web::Router& router, Services& services);

}  // namespace tally
