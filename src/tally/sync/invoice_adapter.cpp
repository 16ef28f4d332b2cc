// See invoice_adapter.hpp. Outbound lines are sent with opts.sparse = false so the lines array is authoritative
// in Connec! (removed lines disappear there too). Inbound: a new invoice is created as a draft through
// InvoiceService (Tally numbers it and recomputes totals: Connec!'s amounts are never trusted), then moved along
// Tally's status flow to the Connec! status when that is reachable; an existing invoice takes header and line
// changes only while it is a draft (Tally's own rule), its status always.
#include "tally/sync/invoice_adapter.hpp"

#include <cctype>

#include "tally/sync/adapter_support.hpp"

namespace tally::sync {
namespace {

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// "2025-01-31T00:00:00Z" and "2025-01-31" both give the date.
std::string date_of(const nlohmann::json& r, std::string_view field) {
  std::string s = text_at(r, field);
  return s.size() >= 10 ? s.substr(0, 10) : s;
}

// The transitions from `from` to `to` along Tally's flow (draft -> sent -> paid, draft/sent -> void); empty
// when already there or unreachable.
std::vector<InvoiceStatus> path_to(InvoiceStatus from, InvoiceStatus to) {
  if (from == to) return {};
  if (can_transition(from, to)) return {to};
  if (from == InvoiceStatus::draft && to == InvoiceStatus::paid) return {InvoiceStatus::sent, InvoiceStatus::paid};
  return {};
}

}  // namespace

std::string InvoiceAdapter::line_external_id(int64_t invoice_id, int position) {
  return std::to_string(invoice_id) + "-" + std::to_string(position + 1);
}

std::string InvoiceAdapter::connec_status(InvoiceStatus s) {
  switch (s) {
    case InvoiceStatus::draft: return "DRAFT";
    case InvoiceStatus::sent: return "AUTHORISED";
    case InvoiceStatus::paid: return "PAID";
    case InvoiceStatus::void_: return "VOIDED";
  }
  return "DRAFT";
}

std::optional<InvoiceStatus> InvoiceAdapter::status_from_connec(std::string_view s) {
  std::string u = upper(std::string(s));
  if (u == "DRAFT") return InvoiceStatus::draft;
  if (u == "SUBMITTED" || u == "AUTHORISED" || u == "AUTHORIZED") return InvoiceStatus::sent;
  if (u == "PAID") return InvoiceStatus::paid;
  if (u == "VOIDED" || u == "VOID") return InvoiceStatus::void_;
  return std::nullopt;
}

mno::Result<nlohmann::json> InvoiceAdapter::to_connec(mno::sync::OutboundContext& context,
                                                      const mno::sync::OutboxItem& item) {
  auto company = company_of_tenant(item.tenant);
  if (!company) return company.error();
  auto id = local_record_id(item.local_id);
  if (!id) return id.error();
  auto x = invoices_.get(*company, *id);
  if (!x) return outbound_read_error(x.error());
  nlohmann::json r = {
      {"type", "CUSTOMER"},
      {"transaction_number", x->number},
      {"transaction_date", x->issue_date},
      {"due_date", x->due_date},
      {"status", connec_status(x->status)},
      {"currency", x->currency},
      {"public_note", x->notes},
      {"amount",
       {{"currency", x->currency},
        {"net_amount", cents_to_number(x->net_cents)},
        {"tax_amount", cents_to_number(x->tax_cents)},
        {"total_amount", cents_to_number(x->total_cents)}}},
      {"person_id", nullptr},
      {"opts", {{"sparse", false}}},
  };
  auto customer = fold_reference(context, "customer", x->customer_id);
  if (!customer) return customer.error();
  r["organization_id"] = std::move(*customer);
  if (x->contact_id) {
    auto contact = fold_reference(context, "contact", *x->contact_id);
    if (!contact) return contact.error();
    r["person_id"] = std::move(*contact);
  }
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : x->lines) {
    nlohmann::json line = {
        {"id", mno::connec::make_id_array(line_external_id(x->id, l.position), context.target().app)},
        {"line_number", l.position + 1},
        {"description", l.description},
        {"quantity", milli_to_number(l.quantity_milli)},
        {"unit_price", {{"net_amount", cents_to_number(l.unit_price_cents)}, {"tax_rate", bp_to_percent(l.tax_rate_bp)}}},
        {"total_price",
         {{"net_amount", cents_to_number(l.net_cents)},
          {"tax_amount", cents_to_number(l.tax_cents)},
          {"total_amount", cents_to_number(l.total_cents)}}},
        {"item_id", nullptr},
    };
    if (l.product_id) {
      auto product = fold_reference(context, "product", *l.product_id);
      if (!product) return product.error();
      line["item_id"] = std::move(*product);
    }
    lines.push_back(std::move(line));
  }
  r["lines"] = std::move(lines);
  return r;
}

mno::Result<std::string> InvoiceAdapter::from_connec(mno::db::Connection& c, const mno::sync::InboundChange& change) {
  auto company = company_of_tenant(change.tenant);
  if (!company) return company.error();
  const auto& r = change.record;
  if (std::string type = upper(text_at(r, "type")); !type.empty() && type != "CUSTOMER")
    return mno::make_error("sync.unsupported", "Tally keeps sales invoices only; this one is of type " + type);
  auto local = inbound_local_id(change);
  if (!local) return local.error();

  InvoiceInput in;
  auto customer = unfold_reference(c, change, "customer", r.value("organization_id", nlohmann::json()));
  if (!customer) return customer.error();
  if (*customer) in.customer_id = std::to_string(**customer);
  auto contact = unfold_reference(c, change, "contact", r.value("person_id", nlohmann::json()));
  if (!contact) return contact.error();
  if (*contact) in.contact_id = std::to_string(**contact);
  in.issue_date = date_of(r, "transaction_date");
  in.due_date = date_of(r, "due_date");
  in.currency = text_at(r, "currency");
  if (in.currency.empty()) in.currency = text_at(r, "amount/currency");
  in.notes = text_at(r, "public_note");
  if (const auto& lines = r.value("lines", nlohmann::json()); lines.is_array()) {
    for (const auto& l : lines) {
      if (!l.is_object()) return mno::make_error("sync.bad_record", "an invoice line is not an object");
      InvoiceLineInput li;
      li.description = text_at(l, "description");
      li.quantity = quantity_input(l.value("quantity", nlohmann::json()));
      if (const auto& price = l.value("unit_price", nlohmann::json()); price.is_object()) {
        li.unit_price = money_input(price.value("net_amount", nlohmann::json()));
        li.tax_rate = percent_input(price.value("tax_rate", nlohmann::json()));
      }
      auto product = unfold_reference(c, change, "product", l.value("item_id", nlohmann::json()));
      if (!product) return product.error();
      if (*product) li.product_id = std::to_string(**product);
      in.lines.push_back(std::move(li));
    }
  }
  auto target_status = status_from_connec(text_at(r, "status"));
  const auto origin = ChangeOrigin::connec;

  mno::Result<Invoice> x = mno::make_error("record.not_found", "");
  if (!*local) {
    x = invoices_.create(c, *company, in, origin);
  } else {
    x = invoices_.get(c, *company, **local);
    if (!x) return x.error();
    if (x->status == InvoiceStatus::draft) x = invoices_.update(c, *company, **local, x->version, in, origin);
  }
  if (!x) return inbound_write_error(x.error());
  if (target_status) {
    for (InvoiceStatus step : path_to(x->status, *target_status)) {
      x = invoices_.change_status(c, *company, x->id, x->version, to_string(step), origin);
      if (!x) return inbound_write_error(x.error());
    }
  }
  return std::to_string(x->id);
}

}  // namespace tally::sync
