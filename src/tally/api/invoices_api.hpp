// /api/v1/invoices: list (filters ?status= and ?customer_id=; no lines), get, create, update (drafts), archive
// and status changes (POST /{id}/status) through the API pipeline.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally::api {

void add_invoices_api(web::Router& router, Services& services);

}  // namespace tally::api
