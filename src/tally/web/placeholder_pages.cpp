// See placeholder_pages.hpp. The page is open to every member (it only describes). The billing page
// is billing_page.cpp.
#include "tally/web/placeholder_pages.hpp"

#include "tally/web/page_context.hpp"

namespace tally {

void add_placeholder_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/app/data-sharing", Access::company_member, [](PageContext& ctx) {
    auto company = ctx.services.companies.get(ctx.viewer->company_id);
    if (!company) return ctx.error_response(company.error());
    ViewData view;
    view.set("from_marketplace", company->marketplace.has_value());
    view.set("marketplace", company->marketplace.value_or(""));
    return ctx.page("data_sharing", "Data sharing", view, "datasharing");
  });
}

}  // namespace tally
