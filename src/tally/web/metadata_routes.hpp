// Checklist 1.1.1: the metadata endpoint. GET /maestrano/metadata/{marketplace} (and
// /maestrano/metadata when exactly one marketplace is configured), HTTP Basic api.id:api.key.
#pragma once
#include "mno/config/registry.hpp"
#include "web/router.hpp"

namespace tally {

void add_metadata_routes(web::Router& router, const mno::config::Registry& registry);

}  // namespace tally
