// See invoice_pages.hpp. The editor posts its lines as lines[N][field]; rows left entirely blank
// are dropped before the service sees them, so the service's "lines[i].<field>" errors are mapped
// back to the row the user typed in. The totals shown in the form are computed here with the same
// exact arithmetic the service uses (money.hpp); the saved ones come from the service.
#include "tally/web/invoice_pages.hpp"

#include <charconv>
#include <chrono>
#include <set>

#include "mno/util/iso8601.hpp"
#include "tally/domain/contact_fields.hpp"
#include "tally/domain/money.hpp"
#include "tally/web/list_view.hpp"
#include "tally/web/page_context.hpp"

namespace tally {
namespace {

const std::string kBase = "/app/invoices";
constexpr int kNewInvoiceRows = 3;
// Row indexes beyond this are ignored: a form cannot make us allocate without bound. The service
// still refuses more than kMaxInvoiceLines filled rows with a message.
constexpr size_t kMaxRowIndex = 2 * kMaxInvoiceLines;
constexpr const char* kLineFields[] = {"product_id", "description", "quantity", "unit_price", "tax_rate"};

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

std::string& line_field(InvoiceLineInput& l, std::string_view name) {
  if (name == "product_id") return l.product_id;
  if (name == "description") return l.description;
  if (name == "quantity") return l.quantity;
  if (name == "unit_price") return l.unit_price;
  return l.tax_rate;
}

bool blank(const InvoiceLineInput& l) {
  return trimmed(l.product_id).empty() && trimmed(l.description).empty() && trimmed(l.quantity).empty() &&
         trimmed(l.unit_price).empty() && trimmed(l.tax_rate).empty();
}

// The editor as posted: header fields and every row, blank ones included (they keep their place).
struct EditorForm {
  InvoiceInput header;              // lines empty
  std::vector<InvoiceLineInput> rows;
};

EditorForm read_form(const std::map<std::string, std::string>& form) {
  EditorForm f;
  f.header = InvoiceInput{field(form, "customer_id"), field(form, "contact_id"), field(form, "issue_date"),
                          field(form, "due_date"),    field(form, "currency"),   field(form, "notes"), {}};
  // Keys look like "lines[12][quantity]".
  for (auto it = form.lower_bound("lines["); it != form.end() && it->first.rfind("lines[", 0) == 0; ++it) {
    const std::string& key = it->first;
    const size_t close = key.find(']', 6);
    if (close == std::string::npos || close + 1 >= key.size() || key[close + 1] != '[' || key.back() != ']') continue;
    size_t index = 0;
    auto [p, ec] = std::from_chars(key.data() + 6, key.data() + close, index);
    if (ec != std::errc{} || p != key.data() + close || index >= kMaxRowIndex) continue;
    const std::string name = key.substr(close + 2, key.size() - close - 3);
    bool known = false;
    for (const char* n : kLineFields) known = known || name == n;
    if (!known) continue;
    if (f.rows.size() <= index) f.rows.resize(index + 1);
    line_field(f.rows[index], name) = it->second;
  }
  return f;
}

// The input for the service, and for each of its lines the form row it came from.
InvoiceInput to_input(const EditorForm& f, std::vector<size_t>& row_of_line) {
  InvoiceInput in = f.header;
  for (size_t r = 0; r < f.rows.size(); ++r) {
    if (blank(f.rows[r])) continue;
    in.lines.push_back(f.rows[r]);
    row_of_line.push_back(r);
  }
  return in;
}

EditorForm form_of(const Invoice& inv) {
  EditorForm f;
  f.header = InvoiceInput{std::to_string(inv.customer_id), inv.contact_id ? std::to_string(*inv.contact_id) : "",
                          inv.issue_date, inv.due_date, inv.currency, inv.notes, {}};
  for (const auto& l : inv.lines) {
    f.rows.push_back(InvoiceLineInput{l.product_id ? std::to_string(*l.product_id) : "", l.description,
                                      format_quantity(l.quantity_milli), format_money_input(l.unit_price_cents),
                                      format_percent(l.tax_rate_bp)});
  }
  return f;
}

std::string today(const mno::Clock& clock) { return mno::format_iso8601(clock.now()).substr(0, 10); }
std::string in_days(const mno::Clock& clock, int days) {
  return mno::format_iso8601(clock.now() + std::chrono::hours(24 * days)).substr(0, 10);
}

// What the editor needs besides the form: the select options.
struct EditorChoices {
  std::vector<Customer> customers;
  std::vector<Contact> contacts;
  std::vector<Product> products;
  std::map<int64_t, size_t> product_by_id;  // id → index in products
};

mno::Result<EditorChoices> load_choices(PageContext& ctx, const EditorForm& f) {
  EditorChoices ch;
  const int64_t company = ctx.viewer->company_id;
  auto customers = active_customers(ctx.services, company);
  if (!customers) return customers.error();
  ch.customers = std::move(*customers);
  auto contacts = active_contacts(ctx.services, company);
  if (!contacts) return contacts.error();
  ch.contacts = std::move(*contacts);
  auto products = active_products(ctx.services, company);
  if (!products) return products.error();
  ch.products = std::move(*products);
  // A draft may still use records archived since it was written: show them as choices too.
  std::set<int64_t> known;
  for (const auto& p : ch.products) known.insert(p.id);
  for (const auto& row : f.rows) {
    auto pid = parse_id(trimmed(row.product_id));
    if (!pid || known.count(*pid)) continue;
    known.insert(*pid);
    auto p = ctx.services.products.get(company, *pid);
    if (p) ch.products.push_back(std::move(*p));
  }
  if (auto cid = parse_id(trimmed(f.header.customer_id))) {
    bool found = false;
    for (const auto& c : ch.customers) found = found || c.id == *cid;
    if (!found)
      if (auto c = ctx.services.customers.get(company, *cid)) ch.customers.push_back(std::move(*c));
  }
  if (auto kid = parse_id(trimmed(f.header.contact_id))) {
    bool found = false;
    for (const auto& k : ch.contacts) found = found || k.id == *kid;
    if (!found)
      if (auto k = ctx.services.contacts.get(company, *kid)) ch.contacts.push_back(std::move(*k));
  }
  for (size_t i = 0; i < ch.products.size(); ++i) ch.product_by_id[ch.products[i].id] = i;
  return ch;
}

// The row's amounts as the service will compute them, when everything needed parses.
std::optional<LineAmounts> preview(const InvoiceLineInput& row, const EditorChoices& ch) {
  const Product* product = nullptr;
  if (!trimmed(row.product_id).empty()) {
    auto pid = parse_id(trimmed(row.product_id));
    if (!pid) return std::nullopt;
    auto it = ch.product_by_id.find(*pid);
    if (it == ch.product_by_id.end()) return std::nullopt;
    product = &ch.products[it->second];
  }
  auto qty = parse_quantity(row.quantity);
  if (!qty || *qty <= 0) return std::nullopt;
  int64_t price = 0, rate = 0;
  if (!trimmed(row.unit_price).empty()) {
    auto m = parse_money(row.unit_price);
    if (!m) return std::nullopt;
    price = *m;
  } else if (product) {
    price = product->sale_price_cents;
  } else {
    return std::nullopt;
  }
  if (!trimmed(row.tax_rate).empty()) {
    auto t = parse_percent(row.tax_rate);
    if (!t) return std::nullopt;
    rate = *t;
  } else if (product) {
    rate = product->tax_rate_bp;
  }
  auto a = compute_line_amounts(*qty, price, rate);
  if (!a) return std::nullopt;
  return *a;
}

// Header errors by field name, line errors by form row and field.
struct MappedErrors {
  std::map<std::string, std::string> header;
  std::map<size_t, std::map<std::string, std::string>> rows;
};

MappedErrors map_errors(const std::map<std::string, std::string>& fields, const std::vector<size_t>& row_of_line) {
  MappedErrors out;
  for (const auto& [key, message] : fields) {
    // "lines[3].quantity"
    if (key.rfind("lines[", 0) == 0) {
      const size_t close = key.find("].", 6);
      size_t i = 0;
      if (close != std::string::npos) {
        auto [p, ec] = std::from_chars(key.data() + 6, key.data() + close, i);
        if (ec == std::errc{} && p == key.data() + close && i < row_of_line.size()) {
          out.rows[row_of_line[i]][key.substr(close + 2)] = message;
          continue;
        }
      }
    }
    out.header[key] = message;
  }
  return out;
}

ViewData option(const std::string& value, const std::string& label, bool selected) {
  ViewData o;
  o.set("value", value);
  o.set("label", label);
  o.set("selected", selected);
  return o;
}

// id 0 = the new-invoice form. `alert` is shown above the form (version conflict, not a draft).
web::Response render_editor(PageContext& ctx, int64_t id, int64_t version, const std::string& number, EditorForm f,
                            const std::map<std::string, std::string>& error_fields,
                            const std::vector<size_t>& row_of_line, const std::string& alert, int status) {
  if (f.rows.empty()) f.rows.resize(1);
  auto choices = load_choices(ctx, f);
  if (!choices) return ctx.error_response(choices.error());
  const EditorChoices& ch = *choices;
  const MappedErrors errors = map_errors(error_fields, row_of_line);

  ViewData view;
  set_form(view,
           {{"customer_id", f.header.customer_id}, {"contact_id", f.header.contact_id},
            {"issue_date", f.header.issue_date},   {"due_date", f.header.due_date},
            {"currency", f.header.currency},       {"notes", f.header.notes}},
           errors.header);
  view.set("has_errors", !error_fields.empty());
  view.set("is_edit", id > 0);
  view.set("id", std::to_string(id));
  view.set("number", number);
  view.set("version", std::to_string(version));
  view.set("action", id > 0 ? kBase + "/" + std::to_string(id) : kBase);
  view.set("cancel_href", id > 0 ? kBase + "/" + std::to_string(id) : kBase);
  if (!alert.empty()) view.set("conflict", alert);

  const std::string customer = trimmed(f.header.customer_id), contact = trimmed(f.header.contact_id);
  ViewData customers{ViewData::type::list};
  for (const auto& c : ch.customers)
    customers.push_back(option(std::to_string(c.id), c.name + (c.archived() ? " (archived)" : ""), std::to_string(c.id) == customer));
  view.set("customer_options", customers);
  view.set("no_customer", customer.empty());
  ViewData contacts{ViewData::type::list};
  for (const auto& k : ch.contacts) {
    std::string label = k.display_name();
    if (!k.customer_name.empty()) label += " — " + k.customer_name;
    if (k.archived()) label += " (archived)";
    contacts.push_back(option(std::to_string(k.id), label, std::to_string(k.id) == contact));
  }
  view.set("contact_options", contacts);
  view.set("no_contact", contact.empty());

  const std::string currency = trimmed(f.header.currency);
  int64_t net = 0, tax = 0, total = 0;
  bool all_computed = true, any_line = false;
  ViewData rows{ViewData::type::list};
  for (size_t r = 0; r < f.rows.size(); ++r) {
    const auto& row = f.rows[r];
    ViewData v;
    const std::string idx = std::to_string(r);
    v.set("index", idx);
    v.set("number", std::to_string(r + 1));
    v.set("description", row.description);
    v.set("quantity", row.quantity);
    v.set("unit_price", row.unit_price);
    v.set("tax_rate", row.tax_rate);
    const std::string pid = trimmed(row.product_id);
    ViewData products{ViewData::type::list};
    for (const auto& p : ch.products)
      products.push_back(option(std::to_string(p.id), p.name + (p.archived() ? " (archived)" : ""), std::to_string(p.id) == pid));
    v.set("product_options", products);
    v.set("no_product", pid.empty());
    auto row_errors = errors.rows.find(r);
    bool row_has_error = false;
    for (const char* name : kLineFields) {
      std::string message;
      if (row_errors != errors.rows.end())
        if (auto e = row_errors->second.find(name); e != row_errors->second.end()) message = e->second;
      if (message.empty()) v.set(std::string("e_") + name, false);
      else v.set(std::string("e_") + name, message);
      row_has_error = row_has_error || !message.empty();
    }
    v.set("row_has_error", row_has_error);
    std::optional<LineAmounts> amounts;
    if (!blank(row)) {
      any_line = true;
      amounts = preview(row, ch);
      if (amounts) {
        auto n = checked_add(net, amounts->net_cents), t = checked_add(tax, amounts->tax_cents);
        auto s = checked_add(total, amounts->total_cents);
        if (n && t && s) {
          net = *n;
          tax = *t;
          total = *s;
        } else {
          all_computed = false;
        }
      } else {
        all_computed = false;
      }
    }
    v.set("has_amounts", amounts.has_value());
    if (amounts) {
      v.set("net", format_money(amounts->net_cents));
      v.set("tax", format_money(amounts->tax_cents));
      v.set("total", format_money(amounts->total_cents));
    }
    rows.push_back(v);
  }
  view["rows"] = std::move(rows);
  view.set("has_totals", any_line && all_computed);
  view.set("net", format_money(net));
  view.set("tax", format_money(tax));
  view.set("total", format_money(total));
  view.set("currency_label", currency);
  const std::string title = id > 0 ? "Edit invoice " + number : "New invoice";
  return ctx.page("invoices_form", title, std::move(view), "invoices", status);
}

struct StatusAction {
  InvoiceStatus to;
  const char* value;
  const char* label;
  const char* css;
};
constexpr StatusAction kStatusActions[] = {
    {InvoiceStatus::sent, "sent", "Mark sent", "btn"},
    {InvoiceStatus::paid, "paid", "Mark paid", "btn"},
    {InvoiceStatus::void_, "void", "Void", "btn btn-danger"},
};

web::Response render_view(PageContext& ctx, const Invoice& inv, const std::string& alert, int status) {
  ViewData view;
  view.set("id", std::to_string(inv.id));
  view.set("version", std::to_string(inv.version));
  view.set("number", inv.number);
  view.set("customer_id", std::to_string(inv.customer_id));
  view.set("customer_name", inv.customer_name);
  view.set("has_contact", inv.contact_id.has_value());
  view.set("contact_id", inv.contact_id ? std::to_string(*inv.contact_id) : "");
  view.set("contact_name", inv.contact_name);
  view.set("issue_date", inv.issue_date);
  view.set("due_date", inv.due_date);
  view.set("status", std::string(to_string(inv.status)));
  view.set("is_draft", inv.status == InvoiceStatus::draft);
  view.set("currency", inv.currency);
  view.set("notes", inv.notes);
  view.set("net", format_money(inv.net_cents));
  view.set("tax", format_money(inv.tax_cents));
  view.set("total", format_money(inv.total_cents));
  view.set("archived", inv.archived());
  view.set("archived_at", inv.archived_at.value_or(""));
  view.set("created_at", inv.created_at);
  view.set("updated_at", inv.updated_at);
  if (!alert.empty()) view.set("alert", alert);
  ViewData lines{ViewData::type::list};
  for (size_t i = 0; i < inv.lines.size(); ++i) {
    const auto& l = inv.lines[i];
    ViewData row;
    row.set("index", std::to_string(i));
    row.set("description", l.description);
    row.set("quantity", format_quantity(l.quantity_milli));
    row.set("unit_price", format_money(l.unit_price_cents));
    row.set("tax_rate", format_percent(l.tax_rate_bp));
    row.set("net", format_money(l.net_cents));
    row.set("tax", format_money(l.tax_cents));
    row.set("total", format_money(l.total_cents));
    lines.push_back(row);
  }
  view.set("lines", lines);
  ViewData actions{ViewData::type::list};
  if (!inv.archived())
    for (const auto& a : kStatusActions) {
      if (!can_transition(inv.status, a.to)) continue;
      ViewData v;
      v.set("value", a.value);
      v.set("label", a.label);
      v.set("css", a.css);
      actions.push_back(v);
    }
  view.set("status_actions", actions);
  return ctx.page("invoices_view", "Invoice " + inv.number, std::move(view), "invoices", status);
}

web::Response list_page(PageContext& ctx) {
  auto list = parse_list_request(ctx.req);
  InvoiceListQuery q{list.query, ctx.req.query_param("status").value_or(""), {}};
  list.filters.push_back({"status", q.status, true});
  const std::string customer = ctx.req.query_param("customer_id").value_or("");
  if (!customer.empty()) {
    auto cid = parse_id(customer);
    if (!cid) return ctx.error_page(400, "The customer filter must be a customer id.");
    q.customer_id = *cid;
    list.filters.push_back({"customer_id", customer, false});
  }
  auto page = ctx.services.invoices.list(ctx.viewer->company_id, q);
  if (!page) return list_error(ctx, page.error(), kBase, "invoices");
  ViewData view;
  add_list_chrome(view, kBase, list, page->total, page->items.size(),
                  {{"number", "Number"}, {"customer", "Customer"}, {"issue_date", "Issued"}, {"due_date", "Due"},
                   {"status", "Status"}, {"total", "Total", true}},
                  "number", "invoices");
  ViewData selects{ViewData::type::list};
  ViewData status_select;
  status_select.set("name", "status");
  status_select.set("label", "Status");
  ViewData options{ViewData::type::list};
  options.push_back(option("", "Any status", q.status.empty()));
  for (const char* s : {"draft", "sent", "paid", "void"}) options.push_back(option(s, sentence_case(s), q.status == s));
  status_select.set("options", options);
  selects.push_back(status_select);
  view.set("filter_selects", selects);

  // One query for the page (the service joins the customer); rows are only formatted here.
  ViewData rows{ViewData::type::list};
  for (const auto& inv : page->items) {
    ViewData row;
    row.set("id", std::to_string(inv.id));
    row.set("number", inv.number);
    row.set("customer_id", std::to_string(inv.customer_id));
    row.set("customer", inv.customer_name);
    row.set("issue_date", inv.issue_date);
    row.set("due_date", inv.due_date);
    row.set("status", std::string(to_string(inv.status)));
    row.set("total", format_money(inv.total_cents));
    row.set("currency", inv.currency);
    row.set("archived", inv.archived());
    rows.push_back(row);
  }
  view["rows"] = std::move(rows);
  return ctx.page("invoices_list", "Invoices", std::move(view), "invoices");
}

std::optional<int64_t> path_id(PageContext& ctx) { return parse_id(ctx.req.params["id"]); }

web::Response not_draft(PageContext& ctx, const Invoice& inv) {
  ctx.flash("Invoice " + inv.number + " is " + std::string(to_string(inv.status)) + ": only draft invoices can be edited.",
            "error");
  return ctx.redirect(kBase + "/" + std::to_string(inv.id));
}

}  // namespace

void add_invoice_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", kBase, Access::company_member, list_page);

  add_page(router, services, "GET", kBase + "/new", Access::company_member, [](PageContext& ctx) {
    EditorForm f;
    if (auto cid = parse_id(ctx.req.query_param("customer_id").value_or(""))) f.header.customer_id = std::to_string(*cid);
    f.header.issue_date = today(ctx.services.clock);
    f.header.due_date = in_days(ctx.services.clock, 30);
    auto company = ctx.services.companies.get(ctx.viewer->company_id);
    if (!company) return ctx.error_response(company.error());
    f.header.currency = company->currency;
    f.rows.resize(kNewInvoiceRows);
    return render_editor(ctx, 0, 0, "", std::move(f), {}, {}, "", 200);
  });

  add_page(router, services, "POST", kBase, Access::company_member, [](PageContext& ctx) {
    auto form = ctx.req.form();
    EditorForm f = read_form(form);
    if (field(form, "action") == "add_line") {
      f.rows.resize(f.rows.size() + 1);
      return render_editor(ctx, 0, 0, "", std::move(f), {}, {}, "", 200);
    }
    std::vector<size_t> row_of_line;
    auto saved = ctx.services.invoices.create(ctx.viewer->company_id, to_input(f, row_of_line));
    if (!saved) {
      if (saved.error().code == "validation.failed")
        return render_editor(ctx, 0, 0, "", std::move(f), saved.error().fields, row_of_line, "", 422);
      return ctx.error_response(saved.error());
    }
    ctx.flash("Invoice " + saved->number + " saved.");
    return ctx.redirect(kBase + "/" + std::to_string(saved->id));
  });

  add_page(router, services, "GET", kBase + "/{id}", Access::company_member, [](PageContext& ctx) {
    auto id = path_id(ctx);
    if (!id) return ctx.error_page(404);
    auto inv = ctx.services.invoices.get(ctx.viewer->company_id, *id);
    if (!inv) return ctx.error_response(inv.error());
    return render_view(ctx, *inv, "", 200);
  });

  add_page(router, services, "GET", kBase + "/{id}/edit", Access::company_member, [](PageContext& ctx) {
    auto id = path_id(ctx);
    if (!id) return ctx.error_page(404);
    auto inv = ctx.services.invoices.get(ctx.viewer->company_id, *id);
    if (!inv) return ctx.error_response(inv.error());
    if (inv->status != InvoiceStatus::draft) return not_draft(ctx, *inv);
    EditorForm f = form_of(*inv);
    f.rows.emplace_back();  // room for one more line without pressing "Add line"
    return render_editor(ctx, inv->id, inv->version, inv->number, std::move(f), {}, {}, "", 200);
  });

  add_page(router, services, "POST", kBase + "/{id}", Access::company_member, [](PageContext& ctx) {
    auto id = path_id(ctx);
    if (!id) return ctx.error_page(404);
    auto form = ctx.req.form();
    auto version = parse_id(field(form, "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    // Load first: another company's id is a 404 whatever was typed, and "Add line" needs the number.
    auto current = ctx.services.invoices.get(ctx.viewer->company_id, *id);
    if (!current) return ctx.error_response(current.error());
    EditorForm f = read_form(form);
    if (field(form, "action") == "add_line") {
      f.rows.resize(f.rows.size() + 1);
      return render_editor(ctx, *id, *version, current->number, std::move(f), {}, {}, "", 200);
    }
    std::vector<size_t> row_of_line;
    auto saved = ctx.services.invoices.update(ctx.viewer->company_id, *id, *version, to_input(f, row_of_line));
    if (!saved) {
      const auto& e = saved.error();
      if (e.code == "validation.failed")
        return render_editor(ctx, *id, *version, current->number, std::move(f), e.fields, row_of_line, "", 422);
      if (e.code == "record.stale") {
        // Reload the current version: the user keeps what they typed and may save it over the
        // other change on purpose (unless it is no longer a draft, which the service refuses).
        auto fresh = ctx.services.invoices.get(ctx.viewer->company_id, *id);
        if (!fresh) return ctx.error_response(fresh.error());
        return render_editor(ctx, *id, fresh->version, fresh->number, std::move(f), {}, {},
                             sentence_case(e.message) + ".", 409);
      }
      return ctx.error_response(e);
    }
    ctx.flash("Invoice " + saved->number + " saved.");
    return ctx.redirect(kBase + "/" + std::to_string(saved->id));
  });

  add_page(router, services, "POST", kBase + "/{id}/status", Access::company_member, [](PageContext& ctx) {
    auto id = path_id(ctx);
    if (!id) return ctx.error_page(404);
    auto form = ctx.req.form();
    auto version = parse_id(field(form, "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    auto done = ctx.services.invoices.change_status(ctx.viewer->company_id, *id, *version, field(form, "status"));
    if (!done) {
      const auto& e = done.error();
      if (e.code != "record.stale" && e.code != "validation.failed") return ctx.error_response(e);
      auto current = ctx.services.invoices.get(ctx.viewer->company_id, *id);
      if (!current) return ctx.error_response(current.error());
      std::string message = e.message;
      if (e.code == "validation.failed" && e.fields.count("status")) message = "status " + e.fields.at("status");
      return render_view(ctx, *current, sentence_case(message) + ".", e.code == "record.stale" ? 409 : 422);
    }
    ctx.flash("Invoice " + done->number + " marked " + std::string(to_string(done->status)) + ".");
    return ctx.redirect(kBase + "/" + std::to_string(done->id));
  });

  add_page(router, services, "POST", kBase + "/{id}/archive", Access::company_member, [](PageContext& ctx) {
    auto id = path_id(ctx);
    if (!id) return ctx.error_page(404);
    auto version = parse_id(field(ctx.req.form(), "version"));
    if (!version) return ctx.error_page(400, "The form is missing its version. Reload the page and try again.");
    auto done = ctx.services.invoices.archive(ctx.viewer->company_id, *id, *version);
    if (!done) {
      const auto& e = done.error();
      if (e.code != "record.stale" && e.code != "record.in_use") return ctx.error_response(e);
      auto current = ctx.services.invoices.get(ctx.viewer->company_id, *id);
      if (!current) return ctx.error_response(current.error());
      return render_view(ctx, *current, sentence_case(e.message) + ".", 409);
    }
    ctx.flash("Invoice " + done->number + " archived.");
    return ctx.redirect(kBase);
  });
}

}  // namespace tally
