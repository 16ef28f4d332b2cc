// See product_pages.hpp. Price and tax rate are typed as decimal text ("1,234.50", "5.5"); the
// service parses them exactly, and the form shows them back in input form ("1234.50", "5.5").
#include "tally/web/product_pages.hpp"

#include "tally/domain/money.hpp"
#include "tally/web/list_view.hpp"
#include "tally/web/page_context.hpp"

namespace tally {
namespace {

const std::string kBase = "/app/products";

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

ProductInput read_input(const std::map<std::string, std::string>& form) {
  return ProductInput{field(form, "name"),       field(form, "code"),     field(form, "description"),
                      field(form, "sale_price"), field(form, "tax_rate"), field(form, "unit")};
}

ProductInput input_of(const Product& p) {
  return ProductInput{p.name, p.code, p.description, format_money_input(p.sale_price_cents), format_percent(p.tax_rate_bp),
                      p.unit};
}

std::map<std::string, std::string> values_of(const ProductInput& in) {
  return {{"name", in.name},
          {"code", in.code},
          {"description", in.description},
          {"sale_price", in.sale_price},
          {"tax_rate", in.tax_rate},
          {"unit", in.unit}};
}

web::Response render_form(PageContext& ctx, int64_t id, int64_t version, const ProductInput& in,
                          const std::map<std::string, std::string>& errors, const std::string& alert, int status) {
  ViewData view;
  set_form(view, values_of(in), errors);
  view.set("is_edit", id > 0);
  view.set("id", std::to_string(id));
  view.set("version", std::to_string(version));
  view.set("action", id > 0 ? kBase + "/" + std::to_string(id) : kBase);
  view.set("cancel_href", id > 0 ? kBase + "/" + std::to_string(id) : kBase);
  if (!alert.empty()) view.set("conflict", alert);
  return ctx.page("products_form", id > 0 ? "Edit product" : "New product", std::move(view), "products", status);
}

web::Response render_view(PageContext& ctx, const Product& p, const std::string& alert, int status) {
  ViewData view;
  view.set("id", std::to_string(p.id));
  view.set("version", std::to_string(p.version));
  view.set("name", p.name);
  view.set("code", p.code);
  view.set("description", p.description);
  view.set("sale_price", format_money(p.sale_price_cents));
  view.set("tax_rate", format_percent(p.tax_rate_bp));
  view.set("unit", p.unit);
  view.set("archived", p.archived());
  view.set("archived_at", p.archived_at.value_or(""));
  view.set("created_at", p.created_at);
  view.set("updated_at", p.updated_at);
  if (!alert.empty()) view.set("alert", alert);
  return ctx.page("products_view", p.name, std::move(view), "products", status);
}

web::Response list_page(PageContext& ctx) {
  auto list = parse_list_request(ctx.req);
  auto page = ctx.services.products.list(ctx.viewer->company_id, list.query);
  if (!page) return list_error(ctx, page.error(), kBase, "products");
  ViewData view;
  add_list_chrome(view, kBase, list, page->total, page->items.size(),
                  {{"name", "Name"}, {"code", "Code"}, {"price", "Price", true}, {"", "Tax rate", true}, {"", "Unit"},
                   {"updated_at", "Updated"}},
                  "name", "products");
  ViewData rows{ViewData::type::list};
  for (const auto& p : page->items) {
    ViewData row;
    row.set("id", std::to_string(p.id));
    row.set("name", p.name);
    row.set("code", p.code);
    row.set("price", format_money(p.sale_price_cents));
    row.set("tax_rate", format_percent(p.tax_rate_bp));
    row.set("unit", p.unit);
    row.set("updated", p.updated_at.substr(0, 10));
    row.set("archived", p.archived());
    rows.push_back(row);
  }
  view["rows"] = std::move(rows);
  return ctx.page("products_list", "Products", std::move(view), "products");
}

}  // namespace

void add_product_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", kBase, Access::company_member, list_page);

  add_page(router, services, "GET", kBase + "/new", Access::company_member, [](PageContext& ctx) {
    return render_form(ctx, 0, 0, {}, {}, "", 200);
  });

  add_page(router, services, "POST", kBase, Access::company_member, [](PageContext& ctx) {
    auto in = read_input(ctx.req.form());
    auto saved = ctx.services.products.create(ctx.viewer->company_id, in);
    if (!saved) {
      if (saved.error().code == "validation.failed") return render_form(ctx, 0, 0, in, saved.error().fields, "", 422);
      return ctx.error_response(saved.error());
    }
    ctx.flash("Product saved.");
    return ctx.redirect(kBase + "/" + std::to_string(saved->id));
  });

  add_page(router, services, "GET", kBase + "/{id}", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto p = ctx.services.products.get(ctx.viewer->company_id, *id);
    if (!p) return ctx.error_response(p.error());
    return render_view(ctx, *p, "", 200);
  });

  add_page(router, services, "GET", kBase + "/{id}/edit", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto p = ctx.services.products.get(ctx.viewer->company_id, *id);
    if (!p) return ctx.error_response(p.error());
    return render_form(ctx, p->id, p->version, input_of(*p), {}, "", 200);
  });

  add_page(router, services, "POST", kBase + "/{id}", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto form = ctx.req.form();
    auto in = read_input(form);
    auto version = parse_id(field(form, "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    auto saved = ctx.services.products.update(ctx.viewer->company_id, *id, *version, in);
    if (!saved) {
      const auto& e = saved.error();
      if (e.code != "validation.failed" && e.code != "record.stale") return ctx.error_response(e);
      // Another company's id is a 404 even when the typed values are invalid.
      auto current = ctx.services.products.get(ctx.viewer->company_id, *id);
      if (!current) return ctx.error_response(current.error());
      if (e.code == "validation.failed") return render_form(ctx, *id, *version, in, e.fields, "", 422);
      // Keep what the user typed but take the current version, so saving again overwrites on purpose.
      return render_form(ctx, *id, current->version, in, {}, sentence_case(e.message) + ".", 409);
    }
    ctx.flash("Product saved.");
    return ctx.redirect(kBase + "/" + std::to_string(saved->id));
  });

  add_page(router, services, "POST", kBase + "/{id}/archive", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto version = parse_id(field(ctx.req.form(), "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    auto done = ctx.services.products.archive(ctx.viewer->company_id, *id, *version);
    if (!done) {
      const auto& e = done.error();
      if (e.code != "record.stale" && e.code != "record.in_use") return ctx.error_response(e);
      auto current = ctx.services.products.get(ctx.viewer->company_id, *id);
      if (!current) return ctx.error_response(current.error());
      return render_view(ctx, *current, sentence_case(e.message) + ".", 409);
    }
    ctx.flash("Product archived.");
    return ctx.redirect(kBase);
  });
}

}  // namespace tally
