// The data-sharing page (/app/data-sharing): the initial import's progress per collection (server-rendered
// progress bars, refreshed by /static/data_sharing.js), its result, the outbox and inbox counts, and the records
// needing attention with their reason. Admins may retry a dead-lettered record or a failed import (POST with
// CSRF); other members see the page read-only and get 403 on the actions.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_data_sharing_page(web::Router& router, Services& services);

}  // namespace tally
