// Records <-> JSON for the API. Output: ids and versions as integers, money/quantity/tax rate as
// decimal strings ("1234.50", "2.5", "20") with integer *_cents twins, timestamps as ISO-8601 and
// archived_at null for live records. Input: the editable fields of each entity; absent or null
// string fields mean "" (PUT is a full replacement), unknown fields are ignored, and a value of
// the wrong JSON type (a number where a string is expected) is a request.invalid error naming
// every such field ("billing.city", "lines[1].quantity").
#pragma once
#include <nlohmann/json.hpp>

#include "mno/util/result.hpp"
#include "tally/domain/contact.hpp"
#include "tally/domain/customer.hpp"
#include "tally/domain/invoice.hpp"
#include "tally/domain/list_query.hpp"
#include "tally/domain/product.hpp"

namespace tally::api {

nlohmann::json to_json(const Customer& c);
nlohmann::json to_json(const Contact& c);
nlohmann::json to_json(const Product& p);
// with_lines=false for list results (lists never load lines; the "lines" key is omitted).
nlohmann::json to_json(const Invoice& inv, bool with_lines = true);

// {"data":[...],"meta":{"page","per_page","total"}}
template <class T>
nlohmann::json page_json(const Page<T>& page) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& item : page.items) data.push_back(to_json(item));
  return {{"data", std::move(data)}, {"meta", {{"page", page.page}, {"per_page", page.per_page}, {"total", page.total}}}};
}
nlohmann::json page_json(const Page<Invoice>& page);  // without lines

// {"data":{...}} for one record.
template <class T>
nlohmann::json record_json(const T& record) {
  return {{"data", to_json(record)}};
}

mno::Result<CustomerInput> customer_input(const nlohmann::json& body);
mno::Result<ContactInput> contact_input(const nlohmann::json& body);
mno::Result<ProductInput> product_input(const nlohmann::json& body);
mno::Result<InvoiceInput> invoice_input(const nlohmann::json& body);
// The "status" of POST /invoices/{id}/status (a string; "" when absent, which the service refuses).
mno::Result<std::string> status_input(const nlohmann::json& body);

}  // namespace tally::api
