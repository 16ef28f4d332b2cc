// The admin UI's Connec! pages: /admin/connec lists the groups with their record counts per collection,
// /admin/connec/{group}/{collection} browses a collection's records (paged), and a record's page edits it
// as JSON, or creates one, as "another app" (origin other:admin), so the group's app (Tally) is notified.
#pragma once
#include "sandbox/connec_api.hpp"
#include "web/router.hpp"

namespace sandbox {

// csrf_token: the admin page's per-process token every write form must carry (its writes make the sandbox
// call the app, so another site must not be able to submit them); "" = not checked.
void add_connec_admin_routes(web::Router& router, ConnecServices services, std::string csrf_token = "");

}  // namespace sandbox
