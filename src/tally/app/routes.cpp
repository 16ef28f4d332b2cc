// See routes.hpp.
#include "tally/app/routes.hpp"

#include "tally/api/api_routes.hpp"
#include "tally/web/account_webhook_routes.hpp"
#include "tally/web/asset_routes.hpp"
#include "tally/web/auth_routes.hpp"
#include "tally/web/billing_page.hpp"
#include "tally/web/connec_notification_routes.hpp"
#include "tally/web/company_pages.hpp"
#include "tally/web/dashboard_page.hpp"
#include "tally/web/landing_page.hpp"
#include "tally/web/metadata_routes.hpp"
#include "tally/web/page_context.hpp"
#include "tally/web/record_pages.hpp"
#include "tally/web/sso_routes.hpp"
#include "web/ops_routes.hpp"

namespace tally {

void add_all_routes(web::Router& router, Services& services, std::shared_ptr<web::Metrics> metrics) {
  web::add_ops_routes(router, std::move(metrics), [db = services.db] { return db->query("SELECT 1").ok(); });
  add_asset_routes(router);
  add_landing_page(router, services.registry);
  add_metadata_routes(router, services.registry);
  add_connec_notification_routes(router, services);
  add_auth_routes(router, services);
  add_sso_routes(router, services);
  add_dashboard_page(router, services);
  add_company_pages(router, services);
  add_record_pages(router, services);
  add_billing_pages(router, services);
  add_account_webhook_routes(router, services);
  add_api_routes(router, services);
  // Last: any other GET is a friendly 404 page (literal and parameter routes above always win).
  add_page(router, services, "GET", "/{path...}", Access::public_page,
           [](PageContext& ctx) { return ctx.error_page(404); }, 0);
}

}  // namespace tally
