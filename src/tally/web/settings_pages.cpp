// See settings_pages.hpp.
#include "tally/web/settings_pages.hpp"

namespace tally {

void add_settings_pages(web::Router&, Services&) {}

}  // namespace tally
