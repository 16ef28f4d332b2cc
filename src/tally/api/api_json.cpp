// See api_json.hpp.
#include "tally/api/api_json.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "tally/api/api_context.hpp"
#include "tally/domain/money.hpp"

namespace tally::api {
namespace {

using nlohmann::json;

json nullable(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json nullable(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

// Reads typed fields of one JSON object and collects every type mistake, so a client learns about
// all of them in one answer. `prefix` names nested objects in the errors ("billing.", "lines[2].").
class FieldReader {
 public:
  FieldReader(const json& obj, std::map<std::string, std::string>& errors, std::string prefix = "")
      : obj_(obj), errors_(errors), prefix_(std::move(prefix)) {}

  // A string field; absent or null is "".
  std::string text(const char* name) {
    const json* v = find(name);
    if (!v) return "";
    if (!v->is_string()) {
      fail(name, "must be a string");
      return "";
    }
    return v->get<std::string>();
  }

  // An id reference given as an integer; absent or null is "" (none). Returned as the domain's text.
  std::string id(const char* name) {
    const json* v = find(name);
    if (!v) return "";
    if (!v->is_number_integer() || v->get<int64_t>() <= 0 ||
        (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
      fail(name, "must be a positive integer id or null");
      return "";
    }
    return std::to_string(v->get<int64_t>());
  }

  // A nested object (absent or null: nullptr).
  const json* object(const char* name) {
    const json* v = find(name);
    if (!v) return nullptr;
    if (!v->is_object()) {
      fail(name, "must be an object");
      return nullptr;
    }
    return v;
  }

  const json* array(const char* name) {
    const json* v = find(name);
    if (!v) return nullptr;
    if (!v->is_array()) {
      fail(name, "must be an array");
      return nullptr;
    }
    return v;
  }

  void fail(const std::string& name, const std::string& message) { errors_.emplace(prefix_ + name, message); }

 private:
  const json* find(const char* name) const {
    auto it = obj_.find(name);
    if (it == obj_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  const json& obj_;
  std::map<std::string, std::string>& errors_;
  std::string prefix_;
};

json address_json(const Address& a) {
  return {{"line1", a.line1},       {"line2", a.line2},   {"city", a.city},
          {"postcode", a.postcode}, {"region", a.region}, {"country", a.country}};
}

Address address_input(FieldReader& parent, const char* name, std::map<std::string, std::string>& errors) {
  Address a;
  const json* obj = parent.object(name);
  if (!obj) return a;
  FieldReader r(*obj, errors, std::string(name) + ".");
  a.line1 = r.text("line1");
  a.line2 = r.text("line2");
  a.city = r.text("city");
  a.postcode = r.text("postcode");
  a.region = r.text("region");
  a.country = r.text("country");
  return a;
}

void put_money(json& out, const char* name, int64_t cents) {
  out[name] = format_money_input(cents);
  out[std::string(name) + "_cents"] = cents;
}

void put_record_meta(json& out, int64_t version, const std::string& created, const std::string& updated,
                     const std::optional<std::string>& archived) {
  out["version"] = version;
  out["created_at"] = created;
  out["updated_at"] = updated;
  out["archived_at"] = nullable(archived);
}

template <class T>
mno::Result<T> finish(T value, std::map<std::string, std::string>& errors) {
  if (!errors.empty()) return invalid_request(std::move(errors));
  return value;
}

}  // namespace

json to_json(const Customer& c) {
  json out = {{"id", c.id},
              {"name", c.name},
              {"code", c.code},
              {"email", c.email},
              {"phone", c.phone},
              {"website", c.website},
              {"billing", address_json(c.billing)},
              {"shipping", address_json(c.shipping)},
              {"notes", c.notes}};
  put_record_meta(out, c.version, c.created_at, c.updated_at, c.archived_at);
  return out;
}

json to_json(const Contact& c) {
  json out = {{"id", c.id},
              {"first_name", c.first_name},
              {"last_name", c.last_name},
              {"display_name", c.display_name()},
              {"job_title", c.job_title},
              {"email", c.email},
              {"phone", c.phone},
              {"mobile", c.mobile},
              {"customer_id", nullable(c.customer_id)},
              {"customer_name", c.customer_name}};
  put_record_meta(out, c.version, c.created_at, c.updated_at, c.archived_at);
  return out;
}

json to_json(const Product& p) {
  json out = {{"id", p.id}, {"name", p.name}, {"code", p.code}, {"description", p.description}};
  put_money(out, "sale_price", p.sale_price_cents);
  out["tax_rate"] = format_percent(p.tax_rate_bp);
  out["unit"] = p.unit;
  put_record_meta(out, p.version, p.created_at, p.updated_at, p.archived_at);
  return out;
}

json to_json(const Invoice& inv, bool with_lines) {
  json out = {{"id", inv.id},
              {"number", inv.number},
              {"customer_id", inv.customer_id},
              {"customer_name", inv.customer_name},
              {"contact_id", nullable(inv.contact_id)},
              {"contact_name", inv.contact_name},
              {"issue_date", inv.issue_date},
              {"due_date", inv.due_date},
              {"status", std::string(to_string(inv.status))},
              {"currency", inv.currency},
              {"notes", inv.notes}};
  put_money(out, "net", inv.net_cents);
  put_money(out, "tax", inv.tax_cents);
  put_money(out, "total", inv.total_cents);
  out["line_count"] = inv.line_count;
  if (with_lines) {
    json lines = json::array();
    for (const auto& l : inv.lines) {
      json line = {{"id", l.id},
                   {"position", l.position},
                   {"product_id", nullable(l.product_id)},
                   {"description", l.description},
                   {"quantity", format_quantity(l.quantity_milli)}};
      put_money(line, "unit_price", l.unit_price_cents);
      line["tax_rate"] = format_percent(l.tax_rate_bp);
      put_money(line, "net", l.net_cents);
      put_money(line, "tax", l.tax_cents);
      put_money(line, "total", l.total_cents);
      lines.push_back(std::move(line));
    }
    out["lines"] = std::move(lines);
  }
  put_record_meta(out, inv.version, inv.created_at, inv.updated_at, inv.archived_at);
  return out;
}

json page_json(const Page<Invoice>& page) {
  json data = json::array();
  for (const auto& item : page.items) data.push_back(to_json(item, false));
  return {{"data", std::move(data)}, {"meta", {{"page", page.page}, {"per_page", page.per_page}, {"total", page.total}}}};
}

mno::Result<CustomerInput> customer_input(const json& body) {
  std::map<std::string, std::string> errors;
  FieldReader r(body, errors);
  CustomerInput in;
  in.name = r.text("name");
  in.code = r.text("code");
  in.email = r.text("email");
  in.phone = r.text("phone");
  in.website = r.text("website");
  in.billing = address_input(r, "billing", errors);
  in.shipping = address_input(r, "shipping", errors);
  in.notes = r.text("notes");
  return finish(std::move(in), errors);
}

mno::Result<ContactInput> contact_input(const json& body) {
  std::map<std::string, std::string> errors;
  FieldReader r(body, errors);
  ContactInput in;
  in.first_name = r.text("first_name");
  in.last_name = r.text("last_name");
  in.job_title = r.text("job_title");
  in.email = r.text("email");
  in.phone = r.text("phone");
  in.mobile = r.text("mobile");
  in.customer_id = r.id("customer_id");
  return finish(std::move(in), errors);
}

mno::Result<ProductInput> product_input(const json& body) {
  std::map<std::string, std::string> errors;
  FieldReader r(body, errors);
  ProductInput in;
  in.name = r.text("name");
  in.code = r.text("code");
  in.description = r.text("description");
  in.sale_price = r.text("sale_price");
  in.tax_rate = r.text("tax_rate");
  in.unit = r.text("unit");
  return finish(std::move(in), errors);
}

mno::Result<InvoiceInput> invoice_input(const json& body) {
  std::map<std::string, std::string> errors;
  FieldReader r(body, errors);
  InvoiceInput in;
  in.customer_id = r.id("customer_id");
  in.contact_id = r.id("contact_id");
  in.issue_date = r.text("issue_date");
  in.due_date = r.text("due_date");
  in.currency = r.text("currency");
  in.notes = r.text("notes");
  if (const json* lines = r.array("lines")) {
    // The service refuses more than kMaxInvoiceLines (field "lines"); reading one more than that is
    // enough for it to say so, however long the array is.
    const size_t n = std::min(lines->size(), static_cast<size_t>(kMaxInvoiceLines) + 1);
    for (size_t i = 0; i < n; ++i) {
      const std::string prefix = "lines[" + std::to_string(i) + "]";
      const json& item = (*lines)[i];
      if (!item.is_object()) {
        errors.emplace(prefix, "must be an object");
        continue;
      }
      FieldReader lr(item, errors, prefix + ".");
      InvoiceLineInput line;
      line.product_id = lr.id("product_id");
      line.description = lr.text("description");
      line.quantity = lr.text("quantity");
      line.unit_price = lr.text("unit_price");
      line.tax_rate = lr.text("tax_rate");
      in.lines.push_back(std::move(line));
    }
  }
  return finish(std::move(in), errors);
}

mno::Result<std::string> status_input(const json& body) {
  std::map<std::string, std::string> errors;
  FieldReader r(body, errors);
  std::string status = r.text("status");  // "" is refused by the service with its list of statuses
  return finish(std::move(status), errors);
}

}  // namespace tally::api
