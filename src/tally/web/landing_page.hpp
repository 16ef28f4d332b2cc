// GET /: the public landing page, listing the marketplaces this Tally is connected to.
#pragma once
#include "mno/config/registry.hpp"
#include "web/router.hpp"

namespace tally {

void add_landing_page(web::Router& router, const mno::config::Registry& registry);

}  // namespace tally
