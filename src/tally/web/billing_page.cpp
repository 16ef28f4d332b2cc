// See billing_page.hpp. The page reads one BillingOverview; the two POSTs call BillingService (one
// transaction each, ledger row included) and then nudge the billing worker so the charge leaves soon.
#include "tally/web/billing_page.hpp"

#include <charconv>

#include "tally/domain/billing_plans.hpp"
#include "tally/web/page_context.hpp"

namespace tally {
namespace {

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

std::string day_of(const std::optional<std::string>& iso) { return iso ? iso->substr(0, 10) : std::string(); }

std::string kind_label(ChargeKind k) {
  switch (k) {
    case ChargeKind::bill: return "One-off bill";
    case ChargeKind::recurring_bill: return "Recurring bill";
    case ChargeKind::cancel_recurring: return "Cancel recurring bill";
  }
  return "";
}

web::Response render_billing(PageContext& ctx, const std::map<std::string, std::string>& errors,
                             const std::map<std::string, std::string>& values) {
  auto company = ctx.services.companies.get(ctx.viewer->company_id);
  if (!company) return ctx.error_response(company.error());
  auto o = ctx.services.billing.overview(ctx.viewer->company_id);
  if (!o) return ctx.error_response(o.error());
  const bool admin = can_manage_team(ctx.viewer->role);
  ViewData view;
  view.set("status", std::string(to_string(company->status)));
  view.set("platform_billing", o->platform_billing);
  view.set("marketplace", company->marketplace.value_or(""));
  view.set("can_manage", admin);
  view.set("active_members", std::to_string(o->active_members));
  if (o->subscription) {
    const auto& s = *o->subscription;
    auto plan = find_plan(s.plan_code);
    view.set("has_subscription", true);
    view.set("plan_name", plan ? plan->name : s.plan_code);
    view.set("per_seat", plan && plan->kind == PlanKind::per_seat);
    view.set("seats", std::to_string(s.seats));
    view.set("trial_ends_at", day_of(s.trial_ends_at));
    view.set("trial_source", s.trial_from_platform ? "your marketplace's free trial" : "Tally's free trial");
    view.set("cancelled", s.cancelled_at.has_value());
    view.set("cancelled_at", day_of(s.cancelled_at));
    view.set("purge_after", day_of(s.purge_after));
    view.set("has_next_charge", o->next_charge_at.has_value());
    view.set("next_charge_at", day_of(o->next_charge_at));
    view.set("next_charge", format_price(Price{o->next_charge_cents, o->currency, false}));
    view.set("price_fallback", o->price_fallback);
    view.set("company_currency", company->currency);
    ViewData plans{ViewData::type::list};
    const std::string chosen = values.count("plan") ? values.at("plan") : s.plan_code;
    for (const auto& p : billing_plans()) {
      ViewData row;
      row.set("code", p.code);
      row.set("name", p.name);
      const Price unit = plan_unit_price(p, company->currency);
      row.set("price", format_price(unit) + (p.kind == PlanKind::per_seat ? " per seat / month" : " / month"));
      row.set("selected", p.code == chosen);
      plans.push_back(row);
    }
    view.set("plans", plans);
    view.set("f_seats", values.count("seats") ? values.at("seats") : std::to_string(s.seats));
  }
  if (auto e = errors.find("plan"); e != errors.end()) view.set("e_plan", e->second);
  if (auto e = errors.find("seats"); e != errors.end()) view.set("e_seats", e->second);
  if (auto e = errors.find("form"); e != errors.end()) view.set("error", e->second);
  ViewData rows{ViewData::type::list};
  for (const auto& c : o->charges) {
    ViewData row;
    row.set("reference", c.reference);
    row.set("created", day_of(c.created_at));
    row.set("kind", kind_label(c.kind));
    row.set("description", c.description);
    row.set("amount", c.kind == ChargeKind::cancel_recurring ? std::string() : format_price(Price{c.price_cents, c.currency, false}));
    row.set("starts", day_of(c.start_date));
    row.set("state", std::string(to_string(c.state)));
    row.set("platform_status", c.platform_status.value_or(""));
    row.set("platform_id", c.platform_id.value_or(""));
    // The platform's reason for a refusal helps admins; members only see that it failed.
    row.set("error", admin && c.state == ChargeState::failed ? c.last_error.value_or("") : std::string());
    rows.push_back(row);
  }
  view.set("charges", rows);
  view.set("has_charges", !o->charges.empty());
  return ctx.page("billing", "Billing", view, "billing", errors.empty() ? 200 : 422);
}

}  // namespace

void add_billing_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/app/billing", Access::company_member,
           [](PageContext& ctx) { return render_billing(ctx, {}, {}); });

  add_page(router, services, "POST", "/app/billing/plan", Access::company_admin, [](PageContext& ctx) {
    auto form = ctx.req.form();
    const std::string plan = field(form, "plan");
    const std::string seats_text = field(form, "seats");
    int seats = 1;
    if (!seats_text.empty()) {
      auto [p, ec] = std::from_chars(seats_text.data(), seats_text.data() + seats_text.size(), seats);
      if (ec != std::errc() || p != seats_text.data() + seats_text.size()) seats = -1;
    }
    auto chosen = ctx.services.billing.choose_plan(ctx.viewer->company_id, plan, seats);
    if (!chosen) {
      const auto& e = chosen.error();
      std::map<std::string, std::string> values{{"plan", plan}, {"seats", seats_text}};
      if (e.code == "validation.failed") return render_billing(ctx, e.fields, values);
      if (e.code == "billing.not_available" || e.code == "billing.cancelled")
        return render_billing(ctx, {{"form", e.message}}, values);
      return ctx.error_response(e);
    }
    ctx.services.nudge_worker(kBillingLedgerJob);
    auto p = find_plan(chosen->plan_code);
    ctx.flash("Your plan is now " + (p ? p->name : chosen->plan_code) +
              (p && p->kind == PlanKind::per_seat ? " for " + std::to_string(chosen->seats) + " seats" : std::string()) +
              ". The change applies from the next billing period.");
    return ctx.redirect("/app/billing");
  });

  add_page(router, services, "POST", "/app/invoices/{id}/sms-reminder", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    const std::string back = "/app/invoices/" + std::to_string(*id);
    auto charge = ctx.services.billing.send_sms_reminder(ctx.viewer->company_id, *id, ctx.viewer->user.id);
    if (!charge) {
      const auto& e = charge.error();
      if (e.code == "billing.not_available" || e.code == "billing.cancelled") {
        ctx.flash("SMS reminders are a paid option billed through your marketplace: " + e.message, "error");
        return ctx.redirect(back);
      }
      return ctx.error_response(e);
    }
    ctx.services.nudge_worker(kBillingLedgerJob);
    ctx.flash("SMS reminder sent. " + format_price(Price{charge->price_cents, charge->currency, false}) +
              " will be billed through your marketplace.");
    return ctx.redirect(back);
  });
}

}  // namespace tally
