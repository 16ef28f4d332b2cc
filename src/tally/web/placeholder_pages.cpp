// See placeholder_pages.hpp.
#include "tally/web/placeholder_pages.hpp"

namespace tally {

void add_placeholder_pages(web::Router&, Services&) {}

}  // namespace tally
