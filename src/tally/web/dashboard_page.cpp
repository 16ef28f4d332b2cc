// See dashboard_page.hpp.
#include "tally/web/dashboard_page.hpp"

#include "tally/domain/money.hpp"
#include "tally/web/page_context.hpp"

namespace tally {

void add_dashboard_page(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/app", Access::company_member, [](PageContext& ctx) {
    auto figures = ctx.services.dashboard.load(ctx.viewer->company_id);
    if (!figures) return ctx.error_response(figures.error());
    ViewData view;
    view.set("customers", std::to_string(figures->customers));
    view.set("contacts", std::to_string(figures->contacts));
    view.set("products", std::to_string(figures->products));
    view.set("invoices", std::to_string(figures->invoices));
    view.set("month", figures->month);
    ViewData revenue{ViewData::type::list};
    for (const auto& r : figures->revenue_this_month) {
      ViewData row;
      row.set("amount", format_money(r.cents));
      row.set("currency", r.currency);
      revenue.push_back(row);
    }
    view.set("revenue", revenue);
    ViewData latest{ViewData::type::list};
    for (const auto& inv : figures->latest_invoices) {
      ViewData row;
      row.set("id", std::to_string(inv.id));
      row.set("number", inv.number);
      row.set("customer", inv.customer_name);
      row.set("status", std::string(to_string(inv.status)));
      row.set("total", format_money(inv.total_cents));
      row.set("currency", inv.currency);
      latest.push_back(row);
    }
    view.set("latest", latest);
    view.set("has_latest", !figures->latest_invoices.empty());
    return ctx.page("dashboard", "Dashboard", std::move(view), "dashboard");
  });
}

}  // namespace tally
