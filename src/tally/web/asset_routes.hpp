// GET /static/{path...}: the embedded static files (CSS, images) with a content type and
// long-lived caching; the set is fixed at build time, so no request can reach the file system.
#pragma once
#include "web/router.hpp"

namespace tally {

void add_asset_routes(web::Router& router);

}  // namespace tally
