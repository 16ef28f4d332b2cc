// See api_routes.hpp. Each entity registers its own routes; the JSON fallback for unknown /api/
// paths goes last so it never shadows a real endpoint.
#include "tally/api/api_routes.hpp"

#include "tally/api/api_context.hpp"
#include "tally/api/contacts_api.hpp"
#include "tally/api/customers_api.hpp"
#include "tally/api/invoices_api.hpp"
#include "tally/api/products_api.hpp"

namespace tally {

void add_api_routes(web::Router& router, Services& services) {
  api::add_customers_api(router, services);
  api::add_contacts_api(router, services);
  api::add_products_api(router, services);
  api::add_invoices_api(router, services);
  api::add_api_fallback(router);
}

}  // namespace tally
