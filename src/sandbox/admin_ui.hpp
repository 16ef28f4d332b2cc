// The sandbox's admin page at "/": shows the seeded environment and marketplaces with their
// credentials, so a developer can wire an app by hand.
#pragma once
#include <memory>

#include "sandbox/sandbox_state.hpp"
#include "web/router.hpp"

namespace sandbox {

void add_admin_routes(web::Router& router, std::shared_ptr<SandboxState> state);

}  // namespace sandbox
