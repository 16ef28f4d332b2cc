// See company_pages.hpp.
#include "tally/web/company_pages.hpp"

namespace tally {

void add_company_pages(web::Router&, Services&) {}

}  // namespace tally
