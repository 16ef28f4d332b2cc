// Control API (JSON, no auth, loopback tool) for the directory and the IdP: users, groups,
// memberships with roles, session regeneration and validity, "launch the app as this user in this
// group", a login cookie for test clients, per-marketplace IdP options and the request log.
// Documented in docs/sandbox.md; every body is validated and errors name the field.
#pragma once
#include "sandbox/idp_routes.hpp"
#include "web/router.hpp"

namespace sandbox {

void add_directory_control_routes(web::Router& router, const IdpServices& services);

// The app's init URL for a marketplace (idm + sso.init_path) + "?group_id=<group>".
std::string launch_url(const SandboxState& state, const MarketplaceRecord& market, const std::string& group_uid);

}  // namespace sandbox
