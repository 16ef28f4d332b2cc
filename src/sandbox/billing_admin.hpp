// The sandbox's billing screen per group (admin UI): every bill and recurring bill an app created for
// the group with its platform status, and the platform's invoicing run ("mark submitted bills as
// invoiced"), so a developer can reach "cannot cancel an invoiced bill" by hand.
#pragma once
#include <memory>
#include <string>

#include "mno/db/database.hpp"
#include "sandbox/directory.hpp"
#include "web/router.hpp"

namespace sandbox {

// csrf_token: the admin forms' per-process token (the invoicing form changes platform state).
void add_billing_admin_routes(web::Router& router, std::shared_ptr<mno::db::Database> db,
                              std::shared_ptr<Directory> directory, std::string csrf_token);

}  // namespace sandbox
