// See contact_adapter.hpp. Inbound writes go through ContactService on the worker's connection.
#include "tally/sync/contact_adapter.hpp"

#include "tally/store/contact_store.hpp"
#include "tally/sync/adapter_support.hpp"

namespace tally::sync {

mno::Result<nlohmann::json> ContactAdapter::to_connec(mno::sync::OutboundContext& context,
                                                      const mno::sync::OutboxItem& item) {
  auto company = company_of_tenant(item.tenant);
  if (!company) return company.error();
  auto id = local_record_id(item.local_id);
  if (!id) return id.error();
  auto x = contacts_.get(*company, *id);
  if (!x) return outbound_read_error(x.error());
  nlohmann::json r = {
      {"first_name", x->first_name},
      {"last_name", x->last_name},
      {"job_title", x->job_title},
      {"email", {{"address", x->email}}},
      {"phone_work", {{"landline", x->phone}, {"mobile", x->mobile}}},
      {"is_customer", true},
      {"status", x->archived() ? "INACTIVE" : "ACTIVE"},
      {"organization_id", nullptr},
  };
  if (x->customer_id) {
    auto ref = fold_reference(context, "customer", *x->customer_id);
    if (!ref) return ref.error();
    r["organization_id"] = std::move(*ref);
  }
  return r;
}

mno::Result<std::string> ContactAdapter::from_connec(mno::db::Connection& c, const mno::sync::InboundChange& change) {
  auto company = company_of_tenant(change.tenant);
  if (!company) return company.error();
  auto local = inbound_local_id(change);
  if (!local) return local.error();
  const auto& r = change.record;
  ContactInput in;
  in.first_name = text_at(r, "first_name");
  in.last_name = text_at(r, "last_name");
  in.job_title = text_at(r, "job_title");
  in.email = text_at(r, "email/address");
  in.phone = text_at(r, "phone_work/landline");
  in.mobile = text_at(r, "phone_work/mobile");
  auto customer = unfold_reference(c, change, "customer", r.value("organization_id", nlohmann::json()));
  if (!customer) return customer.error();
  if (*customer) in.customer_id = std::to_string(**customer);
  const auto origin = ChangeOrigin::connec;
  if (!*local) {
    auto x = contacts_.create(c, *company, in, origin);
    if (!x) return inbound_write_error(x.error());
    return std::to_string(x->id);
  }
  auto current = store::find_contact(c, *company, **local);
  if (!current) return current.error();
  if (!*current) return mno::make_error("record.not_found", "the contact this person maps to is gone");
  auto x = contacts_.update(c, *company, **local, (*current)->version, in, origin);
  if (!x) return inbound_write_error(x.error());
  if (connec_inactive(r) && !x->archived()) {
    auto a = contacts_.archive(c, *company, x->id, x->version, origin);
    if (!a) return inbound_write_error(a.error());
  }
  return std::to_string(x->id);
}

}  // namespace tally::sync
