// /api/v1/invoices: list, get, create, update, archive and status changes through the API pipeline.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally::api {

void add_invoices_api(web::Router& router, Services& services);

}  // namespace tally::api
