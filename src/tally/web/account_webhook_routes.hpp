// The platform's account webhooks (spec 4, security.md 3): DELETE /maestrano/account/groups/{id}[/{mkt}]
// (service cancelled) and DELETE /maestrano/account/groups/{group_id}/users/{id}[/{mkt}] (member
// removed). HTTP Basic api.id:api.key checked from the headers BEFORE the body is read (route
// precheck); every auth failure is the same 401. Idempotent: repeated and unknown ids get 200
// {"success":true}. Other verbs get the router's 405.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_account_webhook_routes(web::Router& router, Services& services);

}  // namespace tally
