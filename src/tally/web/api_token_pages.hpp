// API token page (/app/api-tokens): the signed-in user's tokens for the current company; creating one
// shows its plaintext exactly once (in the response to the POST, never stored), revoking one disables it at once.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_api_token_pages(web::Router& router, Services& services);

}  // namespace tally
