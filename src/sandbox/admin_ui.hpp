// The sandbox's admin page at "/": shows the seeded environment and marketplaces with their
// credentials, so a developer can wire an app by hand; with the IdP services also the directory
// (users, groups, memberships), "launch the app as this user in this group", session regeneration,
// and small forms to add users, groups and memberships.
#pragma once
#include <memory>

#include "sandbox/idp_routes.hpp"
#include "sandbox/sandbox_state.hpp"
#include "web/router.hpp"

namespace sandbox {

void add_admin_routes(web::Router& router, std::shared_ptr<SandboxState> state, const IdpServices* idp = nullptr);

}  // namespace sandbox
