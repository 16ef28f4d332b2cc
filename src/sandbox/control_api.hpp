// The sandbox's JSON control API (documented in docs/sandbox.md): lets tests, scripts and
// integrators read the seeded credentials, reset the state and point marketplaces at an app.
#pragma once
#include <memory>

#include "sandbox/sandbox_state.hpp"
#include "web/router.hpp"

namespace sandbox {

void add_control_routes(web::Router& router, std::shared_ptr<SandboxState> state);

}  // namespace sandbox
