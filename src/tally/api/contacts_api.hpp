// /api/v1/contacts: list (filter ?customer_id=), get, create, update, archive through the API pipeline.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally::api {

void add_contacts_api(web::Router& router, Services& services);

}  // namespace tally::api
