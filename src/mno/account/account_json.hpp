// JSON <-> Account API resources (spec 5.2-5.4) and the envelope check (spec 5.1). Parsing is
// lenient about what the platforms differ on (units as number or string, missing optional fields,
// null times) and strict about what the app relies on (id, and the field types it reads).
#pragma once
#include <string>

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

// The body a create sends (snake_case keys, times ISO 8601 UTC, absent options left out). The client
// sends it as JSON, or flattened to a form body (numbers and booleans as their JSON text).
nlohmann::json bill_body(const NewBill& b);
nlohmann::json recurring_bill_body(const NewRecurringBill& b);

}  // namespace mno::account
