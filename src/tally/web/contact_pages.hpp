// GET/POST /app/contacts...: the contact list, form (with the customer select), view page and archive.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_contact_pages(web::Router& router, Services& services);

}  // namespace tally
