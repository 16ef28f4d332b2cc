// See api_token_pages.hpp.
#include "tally/web/api_token_pages.hpp"

namespace tally {

void add_api_token_pages(web::Router&, Services&) {}

}  // namespace tally
