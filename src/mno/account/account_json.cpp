// See account_json.hpp. The envelope decides success; resource parsing reports malformed fields
// as account.bad_response naming the field, never a silently wrong charge.
#include "mno/account/account_json.hpp"

#include <cmath>

#include "mno/account/account_errors.hpp"
#include "mno/util/iso8601.hpp"

namespace mno::account {
namespace {

using nlohmann::json;

Error bad(const std::string& what) { return make_error(std::string(kBadResponse), what); }

// Envelope errors as field -> "msg; msg" (the platform sends arrays; a bare string is accepted too).
std::map<std::string, std::string> field_errors(const json& body) {
  std::map<std::string, std::string> out;
  if (!body.is_object() || !body.contains("errors") || !body["errors"].is_object()) return out;
  for (const auto& [field, msgs] : body["errors"].items()) {
    std::string joined;
    auto add = [&](const json& m) {
      if (!joined.empty()) joined += "; ";
      joined += m.is_string() ? m.get<std::string>() : m.dump();
    };
    if (msgs.is_array()) {
      for (const auto& m : msgs) add(m);
    } else {
      add(msgs);
    }
    out[field] = joined;
  }
  return out;
}

Error with_fields(std::string_view code, std::string fallback, std::map<std::string, std::string> fields) {
  // Like the Ruby SDK: the message is the first field and its messages ("id does not exist").
  std::string message = fields.empty() ? std::move(fallback) : fields.begin()->first + " " + fields.begin()->second;
  Error e = make_error(std::string(code), message);
  e.fields = std::move(fields);
  return e;
}

std::string str(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return {};
  if (j[key].is_string()) return j[key].get<std::string>();
  return j[key].dump();
}

Result<std::optional<TimePoint>> time_of(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<TimePoint>{};
  if (!j[key].is_string()) return bad(std::string(key) + " is not a time string");
  auto s = j[key].get<std::string>();
  if (s.empty()) return std::optional<TimePoint>{};
  auto t = parse_iso8601(s);
  if (!t) return bad(std::string(key) + " is not an ISO 8601 time: " + t.error().message);
  return std::optional<TimePoint>{*t};
}

Result<std::optional<int64_t>> int_of(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<int64_t>{};
  const auto& v = j[key];
  if (v.is_number_integer()) return std::optional<int64_t>{v.get<int64_t>()};
  if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>())
    return std::optional<int64_t>{static_cast<int64_t>(v.get<double>())};
  if (v.is_string()) {
    try {
      size_t used = 0;
      auto s = v.get<std::string>();
      int64_t n = std::stoll(s, &used);
      if (used == s.size()) return std::optional<int64_t>{n};
    } catch (...) {
    }
  }
  return bad(std::string(key) + " is not an integer");
}

Result<std::optional<double>> decimal_of(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::optional<double>{};
  const auto& v = j[key];
  if (v.is_number()) return std::optional<double>{v.get<double>()};
  if (v.is_string()) {
    try {
      size_t used = 0;
      auto s = v.get<std::string>();
      double d = std::stod(s, &used);
      if (used == s.size()) return std::optional<double>{d};
    } catch (...) {
    }
  }
  return bad(std::string(key) + " is not a number");
}

bool flag_of(const json& j, const char* key) {
  if (!j.contains(key)) return false;
  const auto& v = j[key];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) return v == "true" || v == "1";
  if (v.is_number_integer()) return v.get<int64_t>() != 0;
  return false;
}

Status need_object(const json& j, const char* object) {
  if (!j.is_object()) return bad(std::string("expected an ") + object + " object");
  if (str(j, "id").empty()) return bad(std::string(object) + " without id");
  return {};
}

// Unwraps the Result of a field parser into `out`, or returns its error from the enclosing function.
#define MNO_ACCOUNT_FIELD(out, expr)  \
  do {                                \
    auto r_ = (expr);                 \
    if (!r_) return r_.error();       \
    out = *r_;                        \
  } while (0)

}  // namespace

Result<json> envelope_data(const http::Response& response) {
  json body = json::parse(response.body, nullptr, false);
  int st = response.status;
  if (st == 401 || st == 403) {
    auto f = field_errors(body);
    return with_fields(kUnauthorized, "the platform refused the marketplace's api.id/api.key (HTTP " + std::to_string(st) + ")",
                       std::move(f));
  }
  if (st >= 500 || st == 429 || st == 408)
    return make_error(std::string(kServerError), "the platform answered HTTP " + std::to_string(st));
  if (st == 400 || st == 404 || st == 422)
    return with_fields(kInvalid, "the platform refused the request (HTTP " + std::to_string(st) + ")", field_errors(body));
  if (st < 200 || st > 299) return bad("unexpected HTTP status " + std::to_string(st));
  if (body.is_discarded() || !body.is_object()) return bad("the answer is not a JSON object");
  auto fields = field_errors(body);
  bool success = body.contains("success") && body["success"].is_boolean() ? body["success"].get<bool>() : fields.empty();
  // Spec 8 default decision: success:false in a 200 is an error (the ref sandbox's unknown id).
  if (!success || !fields.empty()) return with_fields(kInvalid, "the platform answered success:false", std::move(fields));
  if (!body.contains("data")) return bad("the envelope has no data");
  return body["data"];
}

Result<Bill> bill_from_json(const json& j) {
  if (auto s = need_object(j, "account_bill"); !s) return s.error();
  Bill b;
  b.id = str(j, "id");
  b.group_id = str(j, "group_id");
  std::optional<int64_t> price;
  MNO_ACCOUNT_FIELD(price, int_of(j, "price_cents"));
  b.price_cents = price.value_or(0);
  b.currency = str(j, "currency");
  b.description = str(j, "description");
  std::optional<double> units;
  MNO_ACCOUNT_FIELD(units, decimal_of(j, "units"));
  b.units = units.value_or(1);
  MNO_ACCOUNT_FIELD(b.period_started_at, time_of(j, "period_started_at"));
  MNO_ACCOUNT_FIELD(b.period_ended_at, time_of(j, "period_ended_at"));
  b.third_party = flag_of(j, "third_party");
  b.status = str(j, "status");
  MNO_ACCOUNT_FIELD(b.created_at, time_of(j, "created_at"));
  MNO_ACCOUNT_FIELD(b.updated_at, time_of(j, "updated_at"));
  return b;
}

Result<RecurringBill> recurring_bill_from_json(const json& j) {
  if (auto s = need_object(j, "account_recurring_bill"); !s) return s.error();
  RecurringBill b;
  b.id = str(j, "id");
  b.group_id = str(j, "group_id");
  std::optional<int64_t> n;
  MNO_ACCOUNT_FIELD(n, int_of(j, "price_cents"));
  b.price_cents = n.value_or(0);
  b.currency = str(j, "currency");
  b.description = str(j, "description");
  b.period = str(j, "period");
  MNO_ACCOUNT_FIELD(n, int_of(j, "frequency"));
  b.frequency = static_cast<int>(n.value_or(1));
  MNO_ACCOUNT_FIELD(n, int_of(j, "cycles"));
  if (n) b.cycles = static_cast<int>(*n);
  MNO_ACCOUNT_FIELD(b.start_date, time_of(j, "start_date"));
  MNO_ACCOUNT_FIELD(n, int_of(j, "initial_cents"));
  b.initial_cents = n.value_or(0);
  b.status = str(j, "status");
  MNO_ACCOUNT_FIELD(b.created_at, time_of(j, "created_at"));
  MNO_ACCOUNT_FIELD(b.updated_at, time_of(j, "updated_at"));
  MNO_ACCOUNT_FIELD(b.last_execution_at, time_of(j, "last_execution_at"));
  MNO_ACCOUNT_FIELD(b.next_execution_at, time_of(j, "next_execution_at"));
  MNO_ACCOUNT_FIELD(n, int_of(j, "remaining_cycles"));
  if (n) b.remaining_cycles = static_cast<int>(*n);
  return b;
}

Result<Group> group_from_json(const json& j) {
  if (auto s = need_object(j, "account_group"); !s) return s.error();
  Group g;
  g.id = str(j, "id");
  g.name = str(j, "name");
  g.email = str(j, "email");
  g.has_credit_card = flag_of(j, "has_credit_card");
  MNO_ACCOUNT_FIELD(g.free_trial_end_at, time_of(j, "free_trial_end_at"));
  g.currency = str(j, "currency");
  g.country = str(j, "country");
  g.city = str(j, "city");
  g.timezone = str(j, "timezone");
  g.status = str(j, "status");
  MNO_ACCOUNT_FIELD(g.created_at, time_of(j, "created_at"));
  MNO_ACCOUNT_FIELD(g.updated_at, time_of(j, "updated_at"));
  return g;
}

Result<User> user_from_json(const json& j) {
  if (auto s = need_object(j, "account_user"); !s) return s.error();
  User u;
  u.id = str(j, "id");
  u.name = str(j, "name");
  u.surname = str(j, "surname");
  u.email = str(j, "email");
  u.company_name = str(j, "company_name");
  u.country = str(j, "country");
  u.sso_session = str(j, "sso_session");
  MNO_ACCOUNT_FIELD(u.created_at, time_of(j, "created_at"));
  MNO_ACCOUNT_FIELD(u.updated_at, time_of(j, "updated_at"));
  return u;
}

json bill_body(const NewBill& b) {
  json j = {{"group_id", b.group_id}, {"price_cents", b.price_cents}, {"description", b.description}};
  if (!b.currency.empty()) j["currency"] = b.currency;
  if (b.units) j["units"] = *b.units;
  if (b.period_started_at) j["period_started_at"] = format_iso8601(*b.period_started_at);
  if (b.period_ended_at) j["period_ended_at"] = format_iso8601(*b.period_ended_at);
  if (b.third_party) j["third_party"] = true;
  return j;
}

json recurring_bill_body(const NewRecurringBill& b) {
  json j = {{"group_id", b.group_id}, {"price_cents", b.price_cents}, {"description", b.description}};
  if (!b.currency.empty()) j["currency"] = b.currency;
  if (!b.period.empty()) j["period"] = b.period;
  if (b.frequency) j["frequency"] = *b.frequency;
  if (b.cycles) j["cycles"] = *b.cycles;
  if (b.start_date) j["start_date"] = format_iso8601(*b.start_date);
  if (b.initial_cents) j["initial_cents"] = *b.initial_cents;
  return j;
}

}  // namespace mno::account
