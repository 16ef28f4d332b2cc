// See api_routes.hpp.
#include "tally/api/api_routes.hpp"

namespace tally {

void add_api_routes(web::Router&, Services&) {}

}  // namespace tally
