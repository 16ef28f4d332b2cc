// See record_pages.hpp.
#include "tally/web/record_pages.hpp"

namespace tally {

void add_record_pages(web::Router&, Services&) {}

}  // namespace tally
