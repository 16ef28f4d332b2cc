// The developer platform's configuration endpoint as the sandbox serves it (spec §1.4):
// GET /api/config/v1/marketplaces with HTTP Basic environment key:secret.
#pragma once
#include <memory>

#include "sandbox/sandbox_state.hpp"
#include "web/router.hpp"

namespace sandbox {

void add_devpl_routes(web::Router& router, std::shared_ptr<SandboxState> state);

}  // namespace sandbox
