// Team page (/app/team): members with role and status for everyone; Admins and Super Admins change
// roles, add existing users by email and revoke access. The rules live in AccountService; this page shows its messages.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_team_pages(web::Router& router, Services& services);

}  // namespace tally
