// See adapter_support.hpp. Amounts are converted through text so no binary rounding leaks into Tally's exact
// cents: a Connec! number is printed with enough digits and parsed by Tally's own money/percent/quantity rules.
#include "tally/sync/adapter_support.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "mno/connec/ids.hpp"
#include "mno/sync/id_map.hpp"
#include "tally/domain/money.hpp"
#include "tally/sync/tenant_directory.hpp"

namespace tally::sync {
namespace {

const nlohmann::json* at_path(const nlohmann::json& record, std::string_view path) {
  const nlohmann::json* cur = &record;
  while (!path.empty()) {
    auto slash = path.find('/');
    std::string key(path.substr(0, slash));
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return cur;
}

// A JSON number or numeric string as plain decimal text with at most `decimals` decimals ("" otherwise).
std::string decimal_text(const nlohmann::json& value, int decimals) {
  double v = 0;
  if (value.is_number()) {
    v = value.get<double>();
  } else if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (s.empty()) return "";
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0') return "";
  } else {
    return "";
  }
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string out = buf;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

}  // namespace

mno::Result<int64_t> company_of_tenant(std::string_view tenant) {
  auto id = parse_tenant_key(tenant);
  if (!id) return mno::make_error("sync.unknown_tenant", "not a Tally tenant: " + std::string(tenant));
  return *id;
}

mno::Result<int64_t> local_record_id(std::string_view local_id) {
  auto id = parse_tenant_key(local_id);  // same shape: a positive decimal id
  if (!id) return mno::make_error("sync.gone", "not a local record id: " + std::string(local_id));
  return *id;
}

mno::Error outbound_read_error(const mno::Error& e) {
  if (e.code == "record.not_found") return mno::make_error("sync.gone", e.message);
  return e;
}

mno::Error inbound_write_error(const mno::Error& e) {
  if (e.code == "record.stale") return mno::make_error("sync.waiting", "a local edit raced the inbound change: " + e.message);
  return e;
}

std::string text_at(const nlohmann::json& record, std::string_view path) {
  const auto* v = at_path(record, path);
  if (!v) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return std::to_string(v->get<int64_t>());
  if (v->is_number()) return decimal_text(*v, 6);
  return "";
}

bool has_at(const nlohmann::json& record, std::string_view path) {
  const auto* v = at_path(record, path);
  return v && !v->is_null();
}

std::string money_input(const nlohmann::json& value) { return decimal_text(value, 2); }
std::string percent_input(const nlohmann::json& value) { return decimal_text(value, 2); }
std::string quantity_input(const nlohmann::json& value) { return decimal_text(value, 3); }

double cents_to_number(int64_t cents) { return static_cast<double>(cents) / 100.0; }
double bp_to_percent(int64_t basis_points) { return static_cast<double>(basis_points) / 100.0; }
double milli_to_number(int64_t milli) { return static_cast<double>(milli) / 1000.0; }

nlohmann::json address_to_connec(const Address& a) {
  return {{"line1", a.line1}, {"line2", a.line2},           {"city", a.city},
          {"region", a.region}, {"postal_code", a.postcode}, {"country", a.country}};
}

Address address_from_connec(const nlohmann::json& value) {
  Address a;
  if (!value.is_object()) return a;
  a.line1 = text_at(value, "line1");
  a.line2 = text_at(value, "line2");
  a.city = text_at(value, "city");
  a.region = text_at(value, "region");
  a.postcode = text_at(value, "postal_code");
  std::string country = text_at(value, "country");
  if (country.size() == 2 && std::isalpha(static_cast<unsigned char>(country[0])) &&
      std::isalpha(static_cast<unsigned char>(country[1])))
    a.country = country;
  return a;
}

bool connec_inactive(const nlohmann::json& record) {
  std::string s = text_at(record, "status");
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s == "INACTIVE" || s == "ARCHIVED";
}

mno::Result<nlohmann::json> fold_reference(mno::sync::OutboundContext& context, std::string_view entity,
                                           int64_t local_id) {
  const std::string id = std::to_string(local_id);
  auto connec_id = context.connec_id_of(entity, id);
  if (!connec_id) return connec_id.error();
  if (!*connec_id)
    return mno::make_error("sync.waiting", "referenced " + std::string(entity) + " " + id + " is not in Connec! yet");
  return mno::connec::make_id_array(id, context.target().app, *connec_id);
}

mno::Result<std::optional<int64_t>> unfold_reference(mno::db::Connection& c, const mno::sync::InboundChange& change,
                                                     std::string_view entity, const nlohmann::json& value) {
  if (value.is_null() || (value.is_string() && value.get<std::string>().empty()) ||
      (value.is_array() && value.empty()))
    return std::optional<int64_t>{};
  auto company = company_of_tenant(change.tenant);
  if (!company) return company.error();
  if (auto own = mno::connec::find_own_id(value, app_identity(*company))) {
    auto id = parse_tenant_key(*own);
    if (!id) return mno::make_error("sync.bad_reference", "reference to " + std::string(entity) + " has a bad id");
    return std::optional<int64_t>(*id);
  }
  auto connec_id = mno::connec::find_connec_id(value);
  if (!connec_id) return mno::make_error("sync.bad_reference", "reference to " + std::string(entity) + " has no id");
  auto entry = mno::sync::find_by_connec_id(c, change.tenant, entity, *connec_id);
  if (!entry) return entry.error();
  if (!*entry || !(*entry)->local_id)
    return mno::make_error("sync.waiting", "referenced " + std::string(entity) + " " + *connec_id + " is not known here yet");
  auto id = parse_tenant_key(*(*entry)->local_id);
  if (!id) return mno::make_error("sync.bad_reference", "id map holds a bad local id");
  return std::optional<int64_t>(*id);
}

mno::Result<std::optional<int64_t>> inbound_local_id(const mno::sync::InboundChange& change) {
  if (!change.local_id) return std::optional<int64_t>{};
  auto id = parse_tenant_key(*change.local_id);
  if (!id) return mno::make_error("sync.bad_reference", "inbound record names a bad local id");
  return std::optional<int64_t>(*id);
}

}  // namespace tally::sync
