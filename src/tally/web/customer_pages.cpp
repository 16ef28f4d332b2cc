// See customer_pages.hpp. Address fields are named "billing_line1", ... in the form; the service
// reports their errors as "billing.line1", which set_form exposes as e_billing_line1.
#include "tally/web/customer_pages.hpp"

#include "tally/domain/money.hpp"
#include "tally/web/list_view.hpp"
#include "tally/web/page_context.hpp"

namespace tally {
namespace {

const std::string kBase = "/app/customers";
constexpr const char* kAddressParts[] = {"line1", "line2", "city", "postcode", "region", "country"};

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

std::string& part(Address& a, std::string_view name) {
  if (name == "line1") return a.line1;
  if (name == "line2") return a.line2;
  if (name == "city") return a.city;
  if (name == "postcode") return a.postcode;
  if (name == "region") return a.region;
  return a.country;
}

CustomerInput read_input(const std::map<std::string, std::string>& form) {
  CustomerInput in{field(form, "name"), field(form, "code"), field(form, "email"), field(form, "phone"),
                   field(form, "website"), {}, {}, field(form, "notes")};
  for (const char* p : kAddressParts) {
    part(in.billing, p) = field(form, std::string("billing_") + p);
    part(in.shipping, p) = field(form, std::string("shipping_") + p);
  }
  return in;
}

CustomerInput input_of(const Customer& c) {
  return CustomerInput{c.name, c.code, c.email, c.phone, c.website, c.billing, c.shipping, c.notes};
}

std::map<std::string, std::string> values_of(CustomerInput in) {
  std::map<std::string, std::string> v{{"name", in.name},   {"code", in.code},   {"email", in.email},
                                       {"phone", in.phone}, {"website", in.website}, {"notes", in.notes}};
  for (const char* p : kAddressParts) {
    v[std::string("billing_") + p] = part(in.billing, p);
    v[std::string("shipping_") + p] = part(in.shipping, p);
  }
  return v;
}

// id 0 = the new-customer form. `alert` is shown above the form (e.g. the version conflict).
web::Response render_form(PageContext& ctx, int64_t id, int64_t version, const CustomerInput& in,
                          const std::map<std::string, std::string>& errors, const std::string& alert, int status) {
  ViewData view;
  set_form(view, values_of(in), errors);
  view.set("is_edit", id > 0);
  view.set("id", std::to_string(id));
  view.set("version", std::to_string(version));
  view.set("action", id > 0 ? kBase + "/" + std::to_string(id) : kBase);
  view.set("cancel_href", id > 0 ? kBase + "/" + std::to_string(id) : kBase);
  if (!alert.empty()) view.set("conflict", alert);
  const std::string title = id > 0 ? "Edit " + in.name : "New customer";
  return ctx.page("customers_form", title, std::move(view), "customers", status);
}

ViewData address_view(Address a) {
  ViewData v;
  for (const char* p : kAddressParts) v.set(p, part(a, p));
  v.set("empty", a == Address{});
  return v;
}

web::Response render_view(PageContext& ctx, const Customer& c, const std::string& alert, int status) {
  ViewData view;
  view.set("id", std::to_string(c.id));
  view.set("version", std::to_string(c.version));
  view.set("name", c.name);
  view.set("code", c.code);
  view.set("email", c.email);
  view.set("phone", c.phone);
  view.set("website", c.website);
  view.set("notes", c.notes);
  view.set("billing", address_view(c.billing));
  view.set("shipping", address_view(c.shipping));
  view.set("archived", c.archived());
  view.set("archived_at", c.archived_at.value_or(""));
  view.set("created_at", c.created_at);
  view.set("updated_at", c.updated_at);
  if (!alert.empty()) view.set("alert", alert);

  ContactListQuery cq;
  cq.customer_id = c.id;
  cq.per_page = 100;
  auto contacts = ctx.services.contacts.list(ctx.viewer->company_id, cq);
  if (!contacts) return ctx.error_response(contacts.error());
  ViewData contact_rows{ViewData::type::list};
  for (const auto& k : contacts->items) {
    ViewData row;
    row.set("id", std::to_string(k.id));
    row.set("name", k.display_name());
    row.set("job_title", k.job_title);
    row.set("email", k.email);
    row.set("phone", k.phone);
    contact_rows.push_back(row);
  }
  view.set("contacts", contact_rows);
  view.set("has_contacts", !contacts->items.empty());
  view.set("more_contacts", contacts->total > static_cast<int64_t>(contacts->items.size()));

  InvoiceListQuery iq;
  iq.customer_id = c.id;
  iq.per_page = 100;
  iq.sort = "issue_date";
  iq.descending = true;
  auto invoices = ctx.services.invoices.list(ctx.viewer->company_id, iq);
  if (!invoices) return ctx.error_response(invoices.error());
  ViewData invoice_rows{ViewData::type::list};
  for (const auto& inv : invoices->items) {
    ViewData row;
    row.set("id", std::to_string(inv.id));
    row.set("number", inv.number);
    row.set("issue_date", inv.issue_date);
    row.set("status", std::string(to_string(inv.status)));
    row.set("total", format_money(inv.total_cents));
    row.set("currency", inv.currency);
    invoice_rows.push_back(row);
  }
  view.set("invoices", invoice_rows);
  view.set("has_invoices", !invoices->items.empty());
  view.set("invoices_href", "/app/invoices?customer_id=" + std::to_string(c.id));
  return ctx.page("customers_view", c.name, std::move(view), "customers", status);
}

web::Response list_page(PageContext& ctx) {
  auto list = parse_list_request(ctx.req);
  auto page = ctx.services.customers.list(ctx.viewer->company_id, list.query);
  if (!page) return list_error(ctx, page.error(), kBase, "customers");
  ViewData view;
  add_list_chrome(view, kBase, list, page->total, page->items.size(),
                  {{"name", "Name"}, {"code", "Code"}, {"email", "Email"}, {"", "Phone"}, {"updated_at", "Updated"}},
                  "name", "customers");
  ViewData rows{ViewData::type::list};
  for (const auto& c : page->items) {
    ViewData row;
    row.set("id", std::to_string(c.id));
    row.set("name", c.name);
    row.set("code", c.code);
    row.set("email", c.email);
    row.set("phone", c.phone);
    row.set("updated", c.updated_at.substr(0, 10));
    row.set("archived", c.archived());
    rows.push_back(row);
  }
  view["rows"] = std::move(rows);
  return ctx.page("customers_list", "Customers", std::move(view), "customers");
}

}  // namespace

void add_customer_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", kBase, Access::company_member, list_page);

  add_page(router, services, "GET", kBase + "/new", Access::company_member, [](PageContext& ctx) {
    return render_form(ctx, 0, 0, {}, {}, "", 200);
  });

  add_page(router, services, "POST", kBase, Access::company_member, [](PageContext& ctx) {
    auto in = read_input(ctx.req.form());
    auto saved = ctx.services.customers.create(ctx.viewer->company_id, in);
    if (!saved) {
      if (saved.error().code == "validation.failed") return render_form(ctx, 0, 0, in, saved.error().fields, "", 422);
      return ctx.error_response(saved.error());
    }
    ctx.flash("Customer saved.");
    return ctx.redirect(kBase + "/" + std::to_string(saved->id));
  });

  add_page(router, services, "GET", kBase + "/{id}", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto c = ctx.services.customers.get(ctx.viewer->company_id, *id);
    if (!c) return ctx.error_response(c.error());
    return render_view(ctx, *c, "", 200);
  });

  add_page(router, services, "GET", kBase + "/{id}/edit", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto c = ctx.services.customers.get(ctx.viewer->company_id, *id);
    if (!c) return ctx.error_response(c.error());
    return render_form(ctx, c->id, c->version, input_of(*c), {}, "", 200);
  });

  add_page(router, services, "POST", kBase + "/{id}", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto form = ctx.req.form();
    auto in = read_input(form);
    auto version = parse_id(field(form, "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    auto saved = ctx.services.customers.update(ctx.viewer->company_id, *id, *version, in);
    if (!saved) {
      const auto& e = saved.error();
      if (e.code != "validation.failed" && e.code != "record.stale") return ctx.error_response(e);
      // Another company's id is a 404 even when the typed values are invalid.
      auto current = ctx.services.customers.get(ctx.viewer->company_id, *id);
      if (!current) return ctx.error_response(current.error());
      if (e.code == "validation.failed") return render_form(ctx, *id, *version, in, e.fields, "", 422);
      // Keep what the user typed but take the current version, so saving again overwrites on purpose.
      return render_form(ctx, *id, current->version, in, {}, sentence_case(e.message) + ".", 409);
    }
    ctx.flash("Customer saved.");
    return ctx.redirect(kBase + "/" + std::to_string(saved->id));
  });

  add_page(router, services, "POST", kBase + "/{id}/archive", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto version = parse_id(field(ctx.req.form(), "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    auto done = ctx.services.customers.archive(ctx.viewer->company_id, *id, *version);
    if (!done) {
      const auto& e = done.error();
      if (e.code != "record.stale" && e.code != "record.in_use") return ctx.error_response(e);
      auto current = ctx.services.customers.get(ctx.viewer->company_id, *id);
      if (!current) return ctx.error_response(current.error());
      return render_view(ctx, *current, sentence_case(e.message) + ".", 409);
    }
    ctx.flash("Customer archived.");
    return ctx.redirect(kBase);
  });
}

}  // namespace tally
