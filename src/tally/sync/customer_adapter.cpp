// See customer_adapter.hpp. Inbound writes go through CustomerService on the worker's connection, so the rules
// (validation, unique code) are the UI's; an organization that is not a customer (is_customer false) is still
// accepted: Tally has no suppliers, and dropping it would lose references from people and invoices.
#include "tally/sync/customer_adapter.hpp"

#include "tally/store/customer_store.hpp"
#include "tally/store/invoice_store.hpp"
#include "tally/sync/adapter_support.hpp"

namespace tally::sync {

nlohmann::json CustomerAdapter::to_record(const Customer& x) {
  return {
      {"name", x.name},
      {"reference", x.code},
      {"is_customer", true},
      {"email", {{"address", x.email}}},
      {"phone", {{"landline", x.phone}}},
      {"website", {{"url", x.website}}},
      {"address", {{"billing", address_to_connec(x.billing)}, {"shipping", address_to_connec(x.shipping)}}},
      {"description", x.notes},
      {"status", x.archived() ? "INACTIVE" : "ACTIVE"},
  };
}

CustomerInput CustomerAdapter::to_input(const nlohmann::json& r) {
  CustomerInput in;
  in.name = text_at(r, "name");
  in.code = text_at(r, "reference");
  in.email = text_at(r, "email/address");
  in.phone = text_at(r, "phone/landline");
  in.website = text_at(r, "website/url");
  if (const auto& a = r.value("address", nlohmann::json()); a.is_object()) {
    in.billing = address_from_connec(a.value("billing", nlohmann::json()));
    in.shipping = address_from_connec(a.value("shipping", nlohmann::json()));
  }
  in.notes = text_at(r, "description");
  return in;
}

mno::Result<nlohmann::json> CustomerAdapter::to_connec(mno::sync::OutboundContext&, const mno::sync::OutboxItem& item) {
  auto company = company_of_tenant(item.tenant);
  if (!company) return company.error();
  auto id = local_record_id(item.local_id);
  if (!id) return id.error();
  auto x = customers_.get(*company, *id);
  if (!x) return outbound_read_error(x.error());
  return to_record(*x);
}

mno::Result<std::string> CustomerAdapter::from_connec(mno::db::Connection& c, const mno::sync::InboundChange& change) {
  auto company = company_of_tenant(change.tenant);
  if (!company) return company.error();
  auto local = inbound_local_id(change);
  if (!local) return local.error();
  const CustomerInput in = to_input(change.record);
  const auto origin = ChangeOrigin::connec;
  if (!*local) {
    auto x = customers_.create(c, *company, in, origin);
    if (!x) return inbound_write_error(x.error());
    return std::to_string(x->id);
  }
  auto current = store::find_customer(c, *company, **local);
  if (!current) return current.error();
  if (!*current) return mno::make_error("record.not_found", "the customer this organization maps to is gone");
  auto x = customers_.update(c, *company, **local, (*current)->version, in, origin);
  if (!x) return inbound_write_error(x.error());
  if (connec_inactive(change.record) && !x->archived()) {
    // Archiving is refused while open invoices use the customer; the fields still apply.
    auto open = store::count_open_invoices(c, *company, x->id);
    if (!open) return open.error();
    if (*open == 0) {
      auto a = customers_.archive(c, *company, x->id, x->version, origin);
      if (!a) return inbound_write_error(a.error());
    }
  }
  return std::to_string(x->id);
}

}  // namespace tally::sync
