// See company_pages.hpp. Each company page lives in its own file; this entry registers them all.
#include "tally/web/company_pages.hpp"

#include "tally/web/api_token_pages.hpp"
#include "tally/web/data_sharing_page.hpp"
#include "tally/web/placeholder_pages.hpp"
#include "tally/web/settings_pages.hpp"
#include "tally/web/team_pages.hpp"

namespace tally {

void add_company_pages(web::Router& router, Services& services) {
  add_settings_pages(router, services);
  add_team_pages(router, services);
  add_api_token_pages(router, services);
  add_placeholder_pages(router, services);
  add_data_sharing_page(router, services);
}

}  // namespace tally
