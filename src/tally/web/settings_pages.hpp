// Company settings page (GET/POST /app/settings): name, currency, time zone and country, saved with the
// version the admin edited so a concurrent change is refused (409) instead of silently overwritten.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_settings_pages(web::Router& router, Services& services);

}  // namespace tally
