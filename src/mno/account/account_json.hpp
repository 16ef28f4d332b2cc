// JSON <-> Account API resources (spec 5.2-5.4) and the envelope check (spec 5.1). Parsing is
// lenient about what the platforms differ on (units as number or string, missing optional fields,
// null times) and strict about what the app relies on (id, and the field types it reads).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/account/account_types.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/result.hpp"

namespace mno::account {

// Maps an HTTP answer to the envelope's data or to an error of account_errors.hpp
// (401 -> unauthorized, 400/404/422 or success:false -> invalid with fields, 5xx -> server_error,
// other non-2xx or a body that is not an envelope -> bad_response).
Result<nlohmann::json> envelope_data(const http::Response& response);

Result<Bill> bill_from_json(const nlohmann::json& j);
Result<RecurringBill> recurring_bill_from_json(const nlohmann::json& j);
Result<Group> group_from_json(const nlohmann::json& j);
Result<User> user_from_json(const nlohmann::json& j);

// The fields a create sends, in a stable order, as strings (times ISO 8601 UTC); absent options are
// left out. Used for both the JSON body (numbers and booleans typed again) and the form body.
std::vector<std::pair<std::string, std::string>> bill_fields(const NewBill& b);
std::vector<std::pair<std::string, std::string>> recurring_bill_fields(const NewRecurringBill& b);

}  // namespace mno::account
