// See team_pages.hpp.
#include "tally/web/team_pages.hpp"

namespace tally {

void add_team_pages(web::Router&, Services&) {}

}  // namespace tally
