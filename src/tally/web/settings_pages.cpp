// See settings_pages.hpp. Everyone in the company may look at the settings; only Admins and Super
// Admins get an editable form, and the POST route itself requires Access::company_admin, so hiding
// the button is never the only protection.
#include "tally/web/settings_pages.hpp"

#include "tally/web/page_context.hpp"

namespace tally {
namespace {

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

ViewData settings_view(PageContext& ctx, const Company& company, const CompanySettingsInput& values, int64_t version,
                       const std::map<std::string, std::string>& errors) {
  ViewData view;
  set_form(view, {{"name", values.name}, {"currency", values.currency}, {"timezone", values.timezone}, {"country", values.country}},
           errors);
  view.set("version", std::to_string(version));
  view.set("can_edit", can_manage_team(ctx.viewer->role));
  view.set("status", std::string(to_string(company.status)));
  // "2026-03-01T10:20:30Z" -> "2026-03-01 10:20 UTC"
  const auto& u = company.updated_at;
  view.set("updated_at", u.size() >= 16 ? u.substr(0, 10) + " " + u.substr(11, 5) + " UTC" : u);
  return view;
}

CompanySettingsInput current_values(const Company& c) { return {c.name, c.currency, c.timezone, c.country}; }

}  // namespace

void add_settings_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/app/settings", Access::company_member, [](PageContext& ctx) {
    auto company = ctx.services.companies.get(ctx.viewer->company_id);
    if (!company) return ctx.error_response(company.error());
    return ctx.page("settings", "Company settings", settings_view(ctx, *company, current_values(*company), company->version, {}),
                    "settings");
  });

  add_page(router, services, "POST", "/app/settings", Access::company_admin, [](PageContext& ctx) {
    auto form = ctx.req.form();
    CompanySettingsInput in{field(form, "name"), field(form, "currency"), field(form, "timezone"), field(form, "country")};
    auto expected = parse_id(field(form, "version"));
    auto company = ctx.services.companies.get(ctx.viewer->company_id);
    if (!company) return ctx.error_response(company.error());
    if (!expected) return ctx.error_page(400, "The form is missing the settings version. Reload the page and try again.");
    auto saved = ctx.services.companies.update_settings(ctx.viewer->company_id, in, *expected);
    if (saved) {
      ctx.flash("The company settings were saved.");
      return ctx.redirect("/app/settings");
    }
    const auto& e = saved.error();
    if (e.code == "validation.failed")
      return ctx.page("settings", "Company settings", settings_view(ctx, *company, in, *expected, e.fields), "settings", 422);
    if (e.code == "record.stale") {
      // Keep what the admin typed and the version they edited: saving again must not silently
      // overwrite the other change, so they reload (the link on the page) to see it first.
      auto view = settings_view(ctx, *company, in, *expected, {});
      view.set("stale", e.message);
      return ctx.page("settings", "Company settings", view, "settings", 409);
    }
    return ctx.error_response(e);
  });
}

}  // namespace tally
