// GET/POST /app/products...: the product list, form (price and tax rate typed as decimals), view page and archive.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_product_pages(web::Router& router, Services& services);

}  // namespace tally
