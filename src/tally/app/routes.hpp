// The complete route table of Tally, in one place: ops, assets, public pages, the Maestrano
// endpoints, the HTML application and the JSON API. Used by TallyApp and by the HTTP tests, so the
// tests exercise exactly the routes that ship.
#pragma once
#include <memory>

#include "tally/app/services.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"

namespace tally {

void add_all_routes(web::Router& router, Services& services, std::shared_ptr<web::Metrics> metrics);

}  // namespace tally
