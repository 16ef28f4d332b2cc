// See product_adapter.hpp. Inbound writes go through ProductService on the worker's connection; prices are
// converted through text so Tally's exact cents never see binary rounding.
#include "tally/sync/product_adapter.hpp"

#include "tally/store/product_store.hpp"
#include "tally/sync/adapter_support.hpp"

namespace tally::sync {

mno::Result<nlohmann::json> ProductAdapter::to_connec(mno::sync::OutboundContext&, const mno::sync::OutboxItem& item) {
  auto company = company_of_tenant(item.tenant);
  if (!company) return company.error();
  auto id = local_record_id(item.local_id);
  if (!id) return id.error();
  auto x = products_.get(*company, *id);
  if (!x) return outbound_read_error(x.error());
  return nlohmann::json{
      {"name", x->name},
      {"reference", x->code},
      {"description", x->description},
      {"unit", x->unit},
      {"sale_price", {{"net_amount", cents_to_number(x->sale_price_cents)}, {"tax_rate", bp_to_percent(x->tax_rate_bp)}}},
      {"status", x->archived() ? "INACTIVE" : "ACTIVE"},
  };
}

mno::Result<std::string> ProductAdapter::from_connec(mno::db::Connection& c, const mno::sync::InboundChange& change) {
  auto company = company_of_tenant(change.tenant);
  if (!company) return company.error();
  auto local = inbound_local_id(change);
  if (!local) return local.error();
  const auto& r = change.record;
  ProductInput in;
  in.name = text_at(r, "name");
  in.code = text_at(r, "reference");
  in.description = text_at(r, "description");
  in.unit = text_at(r, "unit");
  if (const auto& price = r.value("sale_price", nlohmann::json()); price.is_object()) {
    in.sale_price = money_input(price.value("net_amount", nlohmann::json()));
    in.tax_rate = percent_input(price.value("tax_rate", nlohmann::json()));
  }
  const auto origin = ChangeOrigin::connec;
  if (!*local) {
    auto x = products_.create(c, *company, in, origin);
    if (!x) return inbound_write_error(x.error());
    return std::to_string(x->id);
  }
  auto current = store::find_product(c, *company, **local);
  if (!current) return current.error();
  if (!*current) return mno::make_error("record.not_found", "the product this item maps to is gone");
  auto x = products_.update(c, *company, **local, (*current)->version, in, origin);
  if (!x) return inbound_write_error(x.error());
  if (connec_inactive(r) && !x->archived()) {
    auto a = products_.archive(c, *company, x->id, x->version, origin);
    if (!a) return inbound_write_error(a.error());
  }
  return std::to_string(x->id);
}

}  // namespace tally::sync
