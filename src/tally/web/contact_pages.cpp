// See contact_pages.hpp.
#include "tally/web/contact_pages.hpp"

#include "tally/web/list_view.hpp"
#include "tally/web/page_context.hpp"

namespace tally {
namespace {

const std::string kBase = "/app/contacts";

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

ContactInput read_input(const std::map<std::string, std::string>& form) {
  return ContactInput{field(form, "first_name"), field(form, "last_name"), field(form, "job_title"),
                      field(form, "email"),      field(form, "phone"),     field(form, "mobile"),
                      field(form, "customer_id")};
}

ContactInput input_of(const Contact& c) {
  return ContactInput{c.first_name, c.last_name, c.job_title, c.email, c.phone, c.mobile,
                      c.customer_id ? std::to_string(*c.customer_id) : ""};
}

std::map<std::string, std::string> values_of(const ContactInput& in) {
  return {{"first_name", in.first_name}, {"last_name", in.last_name}, {"job_title", in.job_title}, {"email", in.email},
          {"phone", in.phone},           {"mobile", in.mobile},       {"customer_id", in.customer_id}};
}

// The customer <select>: the company's active customers, plus the contact's current one when it
// has been archived since (so editing other fields does not silently detach the contact).
mno::Result<ViewData> customer_options(PageContext& ctx, const std::string& selected, const std::string& current_name) {
  auto customers = active_customers(ctx.services, ctx.viewer->company_id);
  if (!customers) return customers.error();
  ViewData options{ViewData::type::list};
  bool found = selected.empty();
  for (const auto& c : *customers) {
    ViewData o;
    const std::string id = std::to_string(c.id);
    o.set("value", id);
    o.set("label", c.code.empty() ? c.name : c.name + " (" + c.code + ")");
    o.set("selected", id == selected);
    found = found || id == selected;
    options.push_back(o);
  }
  if (!found) {
    ViewData o;
    o.set("value", selected);
    o.set("label", current_name.empty() ? "Customer #" + selected : current_name + " (archived)");
    o.set("selected", true);
    options.push_back(o);
  }
  return options;
}

web::Response render_form(PageContext& ctx, int64_t id, int64_t version, const ContactInput& in,
                          const std::map<std::string, std::string>& errors, const std::string& alert, int status,
                          const std::string& current_customer_name = "") {
  ViewData view;
  set_form(view, values_of(in), errors);
  auto options = customer_options(ctx, in.customer_id, current_customer_name);
  if (!options) return ctx.error_response(options.error());
  view.set("customer_options", *options);
  view.set("no_customer", in.customer_id.empty());
  view.set("is_edit", id > 0);
  view.set("id", std::to_string(id));
  view.set("version", std::to_string(version));
  view.set("action", id > 0 ? kBase + "/" + std::to_string(id) : kBase);
  view.set("cancel_href", id > 0 ? kBase + "/" + std::to_string(id) : kBase);
  if (!alert.empty()) view.set("conflict", alert);
  return ctx.page("contacts_form", id > 0 ? "Edit contact" : "New contact", std::move(view), "contacts", status);
}

web::Response render_view(PageContext& ctx, const Contact& c, const std::string& alert, int status) {
  ViewData view;
  view.set("id", std::to_string(c.id));
  view.set("version", std::to_string(c.version));
  view.set("name", c.display_name());
  view.set("first_name", c.first_name);
  view.set("last_name", c.last_name);
  view.set("job_title", c.job_title);
  view.set("email", c.email);
  view.set("phone", c.phone);
  view.set("mobile", c.mobile);
  view.set("has_customer", c.customer_id.has_value());
  view.set("customer_id", c.customer_id ? std::to_string(*c.customer_id) : "");
  view.set("customer_name", c.customer_name);
  view.set("archived", c.archived());
  view.set("archived_at", c.archived_at.value_or(""));
  view.set("created_at", c.created_at);
  view.set("updated_at", c.updated_at);
  if (!alert.empty()) view.set("alert", alert);
  return ctx.page("contacts_view", c.display_name(), std::move(view), "contacts", status);
}

web::Response list_page(PageContext& ctx) {
  auto list = parse_list_request(ctx.req);
  ContactListQuery q{list.query, {}};
  const std::string customer = ctx.req.query_param("customer_id").value_or("");
  if (!customer.empty()) {
    auto cid = parse_id(customer);
    if (!cid) return ctx.error_page(400, "The customer filter must be a customer id.");
    q.customer_id = *cid;
    list.filters.push_back({"customer_id", customer, false});
  }
  auto page = ctx.services.contacts.list(ctx.viewer->company_id, q);
  if (!page) return list_error(ctx, page.error(), kBase, "contacts");
  ViewData view;
  add_list_chrome(view, kBase, list, page->total, page->items.size(),
                  {{"name", "Name"}, {"customer", "Customer"}, {"", "Job title"}, {"email", "Email"}, {"", "Phone"}},
                  "name", "contacts");
  ViewData rows{ViewData::type::list};
  for (const auto& c : page->items) {
    ViewData row;
    row.set("id", std::to_string(c.id));
    row.set("name", c.display_name());
    row.set("has_customer", c.customer_id.has_value());
    row.set("customer_id", c.customer_id ? std::to_string(*c.customer_id) : "");
    row.set("customer_name", c.customer_name);
    row.set("job_title", c.job_title);
    row.set("email", c.email);
    row.set("phone", c.phone.empty() ? c.mobile : c.phone);
    row.set("archived", c.archived());
    rows.push_back(row);
  }
  view["rows"] = std::move(rows);
  return ctx.page("contacts_list", "Contacts", std::move(view), "contacts");
}

}  // namespace

void add_contact_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", kBase, Access::company_member, list_page);

  add_page(router, services, "GET", kBase + "/new", Access::company_member, [](PageContext& ctx) {
    ContactInput in;
    // "New contact" on a customer's page preselects that customer.
    if (auto cid = parse_id(ctx.req.query_param("customer_id").value_or(""))) in.customer_id = std::to_string(*cid);
    return render_form(ctx, 0, 0, in, {}, "", 200);
  });

  add_page(router, services, "POST", kBase, Access::company_member, [](PageContext& ctx) {
    auto in = read_input(ctx.req.form());
    auto saved = ctx.services.contacts.create(ctx.viewer->company_id, in);
    if (!saved) {
      if (saved.error().code == "validation.failed") return render_form(ctx, 0, 0, in, saved.error().fields, "", 422);
      return ctx.error_response(saved.error());
    }
    ctx.flash("Contact saved.");
    return ctx.redirect(kBase + "/" + std::to_string(saved->id));
  });

  add_page(router, services, "GET", kBase + "/{id}", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto c = ctx.services.contacts.get(ctx.viewer->company_id, *id);
    if (!c) return ctx.error_response(c.error());
    return render_view(ctx, *c, "", 200);
  });

  add_page(router, services, "GET", kBase + "/{id}/edit", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto c = ctx.services.contacts.get(ctx.viewer->company_id, *id);
    if (!c) return ctx.error_response(c.error());
    return render_form(ctx, c->id, c->version, input_of(*c), {}, "", 200, c->customer_name);
  });

  add_page(router, services, "POST", kBase + "/{id}", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto form = ctx.req.form();
    auto in = read_input(form);
    auto version = parse_id(field(form, "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    auto saved = ctx.services.contacts.update(ctx.viewer->company_id, *id, *version, in);
    if (!saved) {
      const auto& e = saved.error();
      if (e.code != "validation.failed" && e.code != "record.stale") return ctx.error_response(e);
      auto current = ctx.services.contacts.get(ctx.viewer->company_id, *id);
      if (!current) return ctx.error_response(current.error());
      if (e.code == "validation.failed")
        return render_form(ctx, *id, *version, in, e.fields, "", 422, current->customer_name);
      // Keep what the user typed but take the current version, so saving again overwrites on purpose.
      return render_form(ctx, *id, current->version, in, {}, sentence_case(e.message) + ".", 409, current->customer_name);
    }
    ctx.flash("Contact saved.");
    return ctx.redirect(kBase + "/" + std::to_string(saved->id));
  });

  add_page(router, services, "POST", kBase + "/{id}/archive", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto version = parse_id(field(ctx.req.form(), "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    auto done = ctx.services.contacts.archive(ctx.viewer->company_id, *id, *version);
    if (!done) {
      const auto& e = done.error();
      if (e.code != "record.stale" && e.code != "record.in_use") return ctx.error_response(e);
      auto current = ctx.services.contacts.get(ctx.viewer->company_id, *id);
      if (!current) return ctx.error_response(current.error());
      return render_view(ctx, *current, sentence_case(e.message) + ".", 409);
    }
    ctx.flash("Contact archived.");
    return ctx.redirect(kBase);
  });
}

}  // namespace tally
