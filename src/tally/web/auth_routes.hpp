// Local accounts in the browser: sign-up, log in, log out, company switch, password change.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_auth_routes(web::Router& router, Services& services);

}  // namespace tally
