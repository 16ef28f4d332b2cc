// InvoiceService (invoice.hpp): parsing of InvoiceInput, the checks that need the database
// (customer, contact and products of the same company, product defaults for lines), exact totals,
// numbering, status transitions, and each change with its ChangeEvent in one transaction.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "tally/domain/contact_fields.hpp"
#include "tally/domain/invoice.hpp"
#include "tally/domain/money.hpp"
#include "tally/store/contact_store.hpp"
#include "tally/store/customer_store.hpp"
#include "tally/store/invoice_store.hpp"
#include "tally/store/list_query_sql.hpp"
#include "tally/store/product_store.hpp"

namespace tally {

namespace {

constexpr const char* kEntity = "invoice";

std::optional<std::chrono::sys_days> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)}, std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                  std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  if (!ymd.ok() || num(0, 4) < 1900) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

std::string format_date(std::chrono::sys_days d) {
  std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

// A line as typed, parsed as far as possible without the database.
struct ParsedLine {
  std::optional<int64_t> product_id;
  std::string description;
  int64_t quantity_milli = 0;
  std::optional<int64_t> unit_price_cents;  // nullopt = take the product's
  std::optional<int64_t> tax_rate_bp;       // nullopt = take the product's, or 0
};

struct ParsedInvoice {
  std::optional<int64_t> customer_id, contact_id;
  std::string issue_date, due_date, currency, notes;
  std::vector<ParsedLine> lines;
};

ParsedInvoice parse(const InvoiceInput& in, const mno::Clock& clock, FieldErrors& errors) {
  ParsedInvoice p;
  p.customer_id = checked_id(errors, "customer_id", in.customer_id);
  if (!p.customer_id && trimmed(in.customer_id).empty()) errors.add("customer_id", "is required");
  p.contact_id = checked_id(errors, "contact_id", in.contact_id);

  std::optional<std::chrono::sys_days> issue, due;
  const std::string issue_text = trimmed(in.issue_date), due_text = trimmed(in.due_date);
  if (issue_text.empty()) issue = std::chrono::floor<std::chrono::days>(clock.now());
  else if (!(issue = parse_date(issue_text))) errors.add("issue_date", "must be a date like 2025-01-31");
  if (due_text.empty()) {
    if (issue) due = *issue + std::chrono::days{30};
  } else if (!(due = parse_date(due_text))) {
    errors.add("due_date", "must be a date like 2025-01-31");
  }
  if (issue && due && *due < *issue) errors.add("due_date", "must be on or after the issue date");
  if (issue) p.issue_date = format_date(*issue);
  if (due) p.due_date = format_date(*due);

  p.currency = trimmed(in.currency);
  for (auto& ch : p.currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (!p.currency.empty() &&
      (p.currency.size() != 3 || !std::all_of(p.currency.begin(), p.currency.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })))
    errors.add("currency", "must be 3 letters, e.g. EUR");
  p.notes = in.notes;
  check_length(errors, "notes", p.notes, 10000);

  if (in.lines.empty()) errors.add("lines", "must have at least one line");
  if (in.lines.size() > static_cast<size_t>(kMaxInvoiceLines))
    errors.add("lines", "can have at most " + std::to_string(kMaxInvoiceLines) + " lines");
  for (size_t i = 0; i < in.lines.size() && i < static_cast<size_t>(kMaxInvoiceLines); ++i) {
    const auto& li = in.lines[i];
    const std::string f = "lines[" + std::to_string(i) + "].";
    ParsedLine l;
    l.product_id = checked_id(errors, f + "product_id", li.product_id);
    l.description = trimmed(li.description);
    check_length(errors, f + "description", l.description, 2000);
    auto q = parse_quantity(li.quantity);
    if (!q) errors.add(f + "quantity", q.error().message);
    else if (*q <= 0) errors.add(f + "quantity", "must be more than 0");
    else l.quantity_milli = *q;
    if (!trimmed(li.unit_price).empty()) {
      auto m = parse_money(li.unit_price);
      if (!m) errors.add(f + "unit_price", m.error().message);
      else if (*m > kMaxUnitPriceCents || *m < -kMaxUnitPriceCents) errors.add(f + "unit_price", "is too large");
      else l.unit_price_cents = *m;
    }
    if (!trimmed(li.tax_rate).empty()) {
      auto t = parse_percent(li.tax_rate);
      if (!t) errors.add(f + "tax_rate", t.error().message);
      else l.tax_rate_bp = *t;
    }
    // Without a product nothing can fill these in, so they are checked here with the other fields.
    if (!l.product_id && trimmed(li.product_id).empty()) {
      if (l.description.empty()) errors.add(f + "description", "is required");
      if (!l.unit_price_cents && trimmed(li.unit_price).empty()) errors.add(f + "unit_price", "is required");
    }
    p.lines.push_back(std::move(l));
  }
  return p;
}

// The database-dependent checks and the totals. `current` is the invoice being edited (nullopt on
// create): records it already uses may have been archived since and stay acceptable.
mno::Result<Invoice> resolve(mno::db::Connection& c, int64_t company_id, const ParsedInvoice& p,
                             const std::optional<Invoice>& current, const std::vector<int64_t>& current_products) {
  FieldErrors errors;
  Invoice x;
  x.company_id = company_id;
  x.issue_date = p.issue_date;
  x.due_date = p.due_date;
  x.notes = p.notes;
  x.currency = p.currency;
  if (x.currency.empty()) {
    auto cur = store::company_currency(c, company_id);
    if (!cur) return cur.error();
    if (!*cur) return mno::make_error("record.not_found", "this company does not exist");
    x.currency = **cur;
  }

  auto customer = store::find_customer(c, company_id, *p.customer_id, /*for_update=*/true);
  if (!customer) return customer.error();
  if (!*customer) errors.add("customer_id", "is not one of your customers");
  else if ((*customer)->archived() && !(current && current->customer_id == *p.customer_id))
    errors.add("customer_id", "is archived");
  else {
    x.customer_id = (*customer)->id;
    x.customer_name = (*customer)->name;
  }

  if (p.contact_id) {
    auto contact = store::find_contact(c, company_id, *p.contact_id);
    if (!contact) return contact.error();
    if (!*contact) errors.add("contact_id", "is not one of your contacts");
    else if ((*contact)->archived() && !(current && current->contact_id == p.contact_id))
      errors.add("contact_id", "is archived");
    else if ((*contact)->customer_id && (*contact)->customer_id != p.customer_id)
      errors.add("contact_id", "belongs to another customer");
    else {
      x.contact_id = (*contact)->id;
      x.contact_name = (*contact)->display_name();
    }
  }

  bool totals_ok = true;
  for (size_t i = 0; i < p.lines.size(); ++i) {
    const ParsedLine& pl = p.lines[i];
    const std::string f = "lines[" + std::to_string(i) + "].";
    InvoiceLine l;
    l.position = static_cast<int>(i);
    l.description = pl.description;
    l.quantity_milli = pl.quantity_milli;
    std::optional<int64_t> price = pl.unit_price_cents, tax = pl.tax_rate_bp;
    if (pl.product_id) {
      auto product = store::find_product(c, company_id, *pl.product_id);
      if (!product) return product.error();
      const bool already_used = std::find(current_products.begin(), current_products.end(), *pl.product_id) !=
                                current_products.end();
      if (!*product) {
        errors.add(f + "product_id", "is not one of your products");
      } else if ((*product)->archived() && !already_used) {
        errors.add(f + "product_id", "is archived");
      } else {
        l.product_id = (*product)->id;
        if (l.description.empty()) l.description = (*product)->name;
        if (!price) price = (*product)->sale_price_cents;
        if (!tax) tax = (*product)->tax_rate_bp;
      }
    }
    if (l.description.empty() && !errors.fields.count(f + "product_id")) errors.add(f + "description", "is required");
    l.unit_price_cents = price.value_or(0);
    l.tax_rate_bp = tax.value_or(0);
    if (l.quantity_milli > 0) {
      auto a = compute_line_amounts(l.quantity_milli, l.unit_price_cents, l.tax_rate_bp);
      if (!a) {
        errors.add(f + "unit_price", "makes the line amount too large");
        totals_ok = false;
      } else {
        l.net_cents = a->net_cents;
        l.tax_cents = a->tax_cents;
        l.total_cents = a->total_cents;
      }
    }
    if (totals_ok) {
      auto net = checked_add(x.net_cents, l.net_cents);
      auto tx = checked_add(x.tax_cents, l.tax_cents);
      auto total = net && tx ? checked_add(*net, *tx) : mno::Result<int64_t>(mno::make_error("money.overflow", ""));
      if (!total) {
        errors.add("lines", "make the invoice total too large");
        totals_ok = false;
      } else {
        x.net_cents = *net;
        x.tax_cents = *tx;
        x.total_cents = *total;
      }
    }
    x.lines.push_back(std::move(l));
  }
  x.line_count = static_cast<int>(x.lines.size());
  if (!errors.empty()) return errors.to_error();
  return x;
}

mno::Result<Invoice> reload(mno::db::Connection& c, int64_t company_id, int64_t id) {
  auto out = store::find_invoice(c, company_id, id);
  if (!out) return out.error();
  if (!*out) return store::not_found(kEntity);
  return std::move(**out);
}

}  // namespace

std::string_view to_string(InvoiceStatus s) {
  switch (s) {
    case InvoiceStatus::draft: return "draft";
    case InvoiceStatus::sent: return "sent";
    case InvoiceStatus::paid: return "paid";
    case InvoiceStatus::void_: return "void";
  }
  return "draft";
}

std::optional<InvoiceStatus> parse_invoice_status(std::string_view s) {
  if (s == "draft") return InvoiceStatus::draft;
  if (s == "sent") return InvoiceStatus::sent;
  if (s == "paid") return InvoiceStatus::paid;
  if (s == "void") return InvoiceStatus::void_;
  return std::nullopt;
}

bool can_transition(InvoiceStatus from, InvoiceStatus to) {
  switch (from) {
    case InvoiceStatus::draft: return to == InvoiceStatus::sent || to == InvoiceStatus::void_;
    case InvoiceStatus::sent: return to == InvoiceStatus::paid || to == InvoiceStatus::void_;
    case InvoiceStatus::paid:
    case InvoiceStatus::void_: return false;
  }
  return false;
}

InvoiceService::InvoiceService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink)
    : db_(db), clock_(clock), sink_(sink) {}

mno::Result<Invoice> InvoiceService::create(int64_t company_id, const InvoiceInput& in, ChangeOrigin origin) {
  return db_.transact([&](mno::db::Connection& c) { return create(c, company_id, in, origin); });
}

mno::Result<Invoice> InvoiceService::create(mno::db::Connection& c, int64_t company_id, const InvoiceInput& in,
                                            ChangeOrigin origin) {
  FieldErrors errors;
  ParsedInvoice p = parse(in, clock_, errors);
  if (!errors.empty()) return errors.to_error();
  const std::string now = now_text(clock_);
  auto x = resolve(c, company_id, p, std::nullopt, {});
  if (!x) return x.error();
  auto seq = store::next_invoice_seq(c, company_id);
  if (!seq) return seq.error();
  x->number = store::format_invoice_number(*seq);
  x->status = InvoiceStatus::draft;
  x->created_at = x->updated_at = now;
  auto id = store::insert_invoice(c, *x, *seq);
  if (!id) return id.error();
  x->id = *id;
  if (auto s = store::replace_invoice_lines(c, *x); !s) return s.error();
  if (auto s = sink_.on_change(c, {company_id, kEntity, *id, ChangeKind::created, 1, origin}); !s) return s.error();
  return reload(c, company_id, *id);
}

mno::Result<Invoice> InvoiceService::update(int64_t company_id, int64_t id, int64_t expected_version,
                                            const InvoiceInput& in, ChangeOrigin origin) {
  return db_.transact([&](mno::db::Connection& c) { return update(c, company_id, id, expected_version, in, origin); });
}

mno::Result<Invoice> InvoiceService::update(mno::db::Connection& c, int64_t company_id, int64_t id,
                                            int64_t expected_version, const InvoiceInput& in, ChangeOrigin origin) {
  FieldErrors errors;
  ParsedInvoice p = parse(in, clock_, errors);
  if (!errors.empty()) return errors.to_error();
  const std::string now = now_text(clock_);
  auto current = store::lock_invoice(c, company_id, id);
  if (!current) return current.error();
  if (!*current) return store::not_found(kEntity);
  if ((*current)->version != expected_version) return store::stale(kEntity);
  if ((*current)->status != InvoiceStatus::draft) {
    FieldErrors e;
    e.add("status", "only draft invoices can be edited; this one is " + std::string(to_string((*current)->status)));
    return e.to_error();
  }
  auto products = store::invoice_product_ids(c, company_id, id);
  if (!products) return products.error();
  auto x = resolve(c, company_id, p, *current, *products);
  if (!x) return x.error();
  x->id = id;
  x->updated_at = now;
  auto n = store::update_invoice_header(c, *x, expected_version);
  if (!n) return n.error();
  if (auto s = store::check_versioned_write(c, "invoices", kEntity, company_id, id, *n); !s) return s.error();
  if (auto s = store::replace_invoice_lines(c, *x); !s) return s.error();
  auto out = reload(c, company_id, id);
  if (!out) return out.error();
  if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::updated, out->version, origin}); !s)
    return s.error();
  return out;
}

mno::Result<Invoice> InvoiceService::change_status(int64_t company_id, int64_t id, int64_t expected_version,
                                                   std::string_view status, ChangeOrigin origin) {
  return db_.transact(
      [&](mno::db::Connection& c) { return change_status(c, company_id, id, expected_version, status, origin); });
}

mno::Result<Invoice> InvoiceService::change_status(mno::db::Connection& c, int64_t company_id, int64_t id,
                                                   int64_t expected_version, std::string_view status,
                                                   ChangeOrigin origin) {
  auto target = parse_invoice_status(status);
  if (!target) {
    FieldErrors e;
    e.add("status", "must be one of draft, sent, paid, void");
    return e.to_error();
  }
  const std::string now = now_text(clock_);
  auto current = store::lock_invoice(c, company_id, id);
  if (!current) return current.error();
  if (!*current) return store::not_found(kEntity);
  if ((*current)->version != expected_version) return store::stale(kEntity);
  if (!can_transition((*current)->status, *target)) {
    FieldErrors e;
    e.add("status", "cannot change from " + std::string(to_string((*current)->status)) + " to " +
                        std::string(to_string(*target)));
    return e.to_error();
  }
  auto n = store::update_invoice_status(c, company_id, id, expected_version, *target, now);
  if (!n) return n.error();
  if (auto s = store::check_versioned_write(c, "invoices", kEntity, company_id, id, *n); !s) return s.error();
  auto out = reload(c, company_id, id);
  if (!out) return out.error();
  if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::updated, out->version, origin}); !s)
    return s.error();
  return out;
}

mno::Result<Invoice> InvoiceService::get(int64_t company_id, int64_t id) {
  return db_.transact([&](mno::db::Connection& c) -> mno::Result<Invoice> { return reload(c, company_id, id); },
                      mno::db::TxKind::read);
}

mno::Result<Invoice> InvoiceService::get(mno::db::Connection& c, int64_t company_id, int64_t id) {
  return reload(c, company_id, id);
}

mno::Result<Page<Invoice>> InvoiceService::list(int64_t company_id, const InvoiceListQuery& q) {
  return db_.transact(
      [&](mno::db::Connection& c) -> mno::Result<Page<Invoice>> { return store::list_invoices(c, company_id, q); },
      mno::db::TxKind::read);
}

mno::Result<Invoice> InvoiceService::archive(int64_t company_id, int64_t id, int64_t expected_version,
                                             ChangeOrigin origin) {
  const std::string now = now_text(clock_);
  return db_.transact([&](mno::db::Connection& c) -> mno::Result<Invoice> {
    if (auto s = store::archive_row(c, "invoices", kEntity, company_id, id, expected_version, now); !s)
      return s.error();
    auto out = reload(c, company_id, id);
    if (!out) return out.error();
    if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::archived, out->version, origin}); !s)
      return s.error();
    return out;
  });
}

}  // namespace tally
