// See placeholder_pages.hpp. Both pages are open to every member (they only describe); the billing
// page already shows what the company record knows (status, trial end) so it is useful today.
#include "tally/web/placeholder_pages.hpp"

#include "tally/web/page_context.hpp"

namespace tally {

void add_placeholder_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/app/billing", Access::company_member, [](PageContext& ctx) {
    auto company = ctx.services.companies.get(ctx.viewer->company_id);
    if (!company) return ctx.error_response(company.error());
    ViewData view;
    view.set("status", std::string(to_string(company->status)));
    view.set("trialing", company->status == CompanyStatus::trialing);
    view.set("trial_ends_at", company->trial_ends_at ? company->trial_ends_at->substr(0, 10) : std::string());
    view.set("from_marketplace", company->marketplace.has_value());
    view.set("marketplace", company->marketplace.value_or(""));
    return ctx.page("billing", "Billing", view, "billing");
  });

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
