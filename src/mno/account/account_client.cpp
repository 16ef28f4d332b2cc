// See account_client.hpp. One place decides retries: call(). Creates pass Retry::never, so a lost
// answer becomes kAmbiguousOutcome instead of a second charge.
#include "mno/account/account_client.hpp"

#include <algorithm>
#include <thread>

#include "mno/account/account_json.hpp"
#include "mno/account/bill_reference.hpp"
#include "mno/util/log.hpp"

namespace mno::account {
namespace {

using nlohmann::json;

// RFC 3986 unreserved characters stay, everything else is %XX (ids in paths, query and form values).
std::string pct(std::string_view in) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string form_value(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Nothing was sent: the platform cannot have applied anything.
bool nothing_sent(const Error& e) { return e.code == "http.connect" || e.code == "http.tls"; }

bool retryable_status(int status) { return status >= 500 || status == 408 || status == 429; }

template <class T, class F>
Result<std::vector<T>> list_of(Result<json> data, F parse) {
  if (!data) return data.error();
  if (!data->is_array()) return make_error(std::string(kBadResponse), "expected a list in data");
  std::vector<T> out;
  for (const auto& item : *data) {
    auto r = parse(item);
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  return out;
}

template <class T, class F>
Result<T> one_of(Result<json> data, F parse) {
  if (!data) return data.error();
  return parse(*data);
}

Status check_id(const std::string& id) {
  if (id.empty()) return make_error(std::string(kBadArgument), "empty id");
  return {};
}

}  // namespace

AccountClient::AccountClient(config::Marketplace marketplace, http::HttpClient& http, ClientOptions options)
    : marketplace_(std::move(marketplace)), http_(http), options_(std::move(options)) {}

http::Request AccountClient::build(const std::string& method, const std::string& path, const ListQuery* query,
                                   const json* body) const {
  http::Request r;
  r.method = method;
  r.url = marketplace_.api_url("account/" + path);
  if (query) {
    std::vector<std::pair<std::string, std::string>> q;
    if (!query->group_id.empty()) q.emplace_back("group_id", query->group_id);
    if (!query->status.empty()) q.emplace_back("status", query->status);
    for (const auto& p : query->extra) q.push_back(p);
    for (size_t i = 0; i < q.size(); ++i) r.url += (i ? "&" : "?") + pct(q[i].first) + "=" + pct(q[i].second);
  }
  r.headers.emplace_back("Accept", "application/json");
  r.basic_auth = std::pair{marketplace_.api.id, marketplace_.api.key};
  r.timeout = options_.timeout;
  r.connect_timeout = options_.connect_timeout;
  if (body) {
    if (options_.body_format == BodyFormat::json) {
      r.headers.emplace_back("Content-Type", "application/json");
      r.body = body->dump(-1, ' ', false, json::error_handler_t::replace);
    } else {
      r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      for (const auto& [k, v] : body->items()) {
        if (!r.body.empty()) r.body += '&';
        r.body += pct(k) + "=" + pct(form_value(v));
      }
    }
  }
  return r;
}

std::chrono::milliseconds AccountClient::backoff(int attempt, const http::Response* last) const {
  using std::chrono::milliseconds;
  const auto& p = options_.retry;
  // Full jitter (Brooker 2015): uniform in [0, min(cap, base * 2^(attempt-1))].
  int64_t ceiling = p.base_delay.count();
  for (int i = 1; i < attempt && ceiling < p.max_delay.count(); ++i) ceiling *= 2;
  ceiling = std::min<int64_t>(ceiling, p.max_delay.count());
  Random& rnd = options_.random ? *options_.random : SecureRandom::instance();
  int64_t wait = ceiling > 0 ? static_cast<int64_t>(rnd.uniform(static_cast<uint64_t>(ceiling) + 1)) : 0;
  if (last) {
    if (auto ra = last->header("retry-after")) {
      try {
        size_t used = 0;
        long secs = std::stol(*ra, &used);
        if (used == ra->size() && secs >= 0) wait = std::max<int64_t>(wait, std::min<int64_t>(secs * 1000, p.max_delay.count()));
      } catch (...) {
        // An HTTP-date Retry-After is rare on APIs: the jittered delay stands.
      }
    }
  }
  return milliseconds(wait);
}

Result<json> AccountClient::call(const std::string& method, const std::string& path, const ListQuery* query,
                                 const json* body, Retry retry) {
  const Clock& clock = options_.clock ? *options_.clock : SystemClock::instance();
  const auto request = build(method, path, query, body);
  const auto started = clock.now();
  const int max_attempts = retry == Retry::never ? 1 : std::max(1, options_.retry.max_attempts);
  std::optional<Error> transport;
  std::optional<http::Response> last;
  for (int attempt = 1;; ++attempt) {
    auto res = http_.send(request);
    if (res) {
      if (!retryable_status(res->status)) return envelope_data(*res);
      last = std::move(*res);
      transport.reset();
    } else {
      if (retry == Retry::never) {
        if (nothing_sent(res.error()))
          return make_error(std::string(kUnreachable), method + " account/" + path + ": " + res.error().message);
        log::warn("account.ambiguous_outcome", {{"method", method}, {"path", path}, {"cause", res.error().code}});
        return make_error(std::string(kAmbiguousOutcome),
                          method + " account/" + path + " was sent but no answer came back (" + res.error().code +
                              "): look the object up before creating it again");
      }
      transport = res.error();
      last.reset();
    }
    if (attempt >= max_attempts || clock.now() - started >= options_.retry.max_elapsed) break;
    auto wait = backoff(attempt, last ? &*last : nullptr);
    log::info("account.retry", {{"method", method}, {"path", path}, {"attempt", std::to_string(attempt)},
                                {"wait_ms", std::to_string(wait.count())},
                                {"cause", transport ? transport->code : "http " + std::to_string(last->status)}});
    if (options_.sleep) {
      options_.sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
  }
  if (last) return envelope_data(*last);
  return make_error(std::string(kUnreachable), method + " account/" + path + ": " + transport->message);
}

Result<Bill> AccountClient::create_bill(const NewBill& bill) {
  json body = bill_body(bill);
  return one_of<Bill>(call("POST", "bills", nullptr, &body, Retry::never), bill_from_json);
}
Result<std::vector<Bill>> AccountClient::list_bills(const ListQuery& query) {
  return list_of<Bill>(call("GET", "bills", &query, nullptr, Retry::safe), bill_from_json);
}
Result<Bill> AccountClient::get_bill(const std::string& id) {
  if (auto s = check_id(id); !s) return s.error();
  return one_of<Bill>(call("GET", "bills/" + pct(id), nullptr, nullptr, Retry::safe), bill_from_json);
}
// Cancelling is idempotent on the platform (spec 5.2: a cancelled bill stays cancelled), so it retries.
Result<Bill> AccountClient::cancel_bill(const std::string& id) {
  if (auto s = check_id(id); !s) return s.error();
  return one_of<Bill>(call("DELETE", "bills/" + pct(id), nullptr, nullptr, Retry::safe), bill_from_json);
}

Result<RecurringBill> AccountClient::create_recurring_bill(const NewRecurringBill& bill) {
  json body = recurring_bill_body(bill);
  return one_of<RecurringBill>(call("POST", "recurring_bills", nullptr, &body, Retry::never), recurring_bill_from_json);
}
Result<std::vector<RecurringBill>> AccountClient::list_recurring_bills(const ListQuery& query) {
  return list_of<RecurringBill>(call("GET", "recurring_bills", &query, nullptr, Retry::safe), recurring_bill_from_json);
}
Result<RecurringBill> AccountClient::get_recurring_bill(const std::string& id) {
  if (auto s = check_id(id); !s) return s.error();
  return one_of<RecurringBill>(call("GET", "recurring_bills/" + pct(id), nullptr, nullptr, Retry::safe),
                               recurring_bill_from_json);
}
Result<RecurringBill> AccountClient::cancel_recurring_bill(const std::string& id) {
  if (auto s = check_id(id); !s) return s.error();
  return one_of<RecurringBill>(call("DELETE", "recurring_bills/" + pct(id), nullptr, nullptr, Retry::safe),
                               recurring_bill_from_json);
}

Result<std::vector<Group>> AccountClient::list_groups(const ListQuery& query) {
  return list_of<Group>(call("GET", "groups", &query, nullptr, Retry::safe), group_from_json);
}
Result<Group> AccountClient::get_group(const std::string& id) {
  if (auto s = check_id(id); !s) return s.error();
  return one_of<Group>(call("GET", "groups/" + pct(id), nullptr, nullptr, Retry::safe), group_from_json);
}
Result<std::vector<User>> AccountClient::list_users(const ListQuery& query) {
  return list_of<User>(call("GET", "users", &query, nullptr, Retry::safe), user_from_json);
}
Result<User> AccountClient::get_user(const std::string& id) {
  if (auto s = check_id(id); !s) return s.error();
  return one_of<User>(call("GET", "users/" + pct(id), nullptr, nullptr, Retry::safe), user_from_json);
}

Result<std::optional<Bill>> AccountClient::find_bill_by_reference(const std::string& group_id, const std::string& reference) {
  if (!is_valid_reference(reference)) return make_error(std::string(kBadArgument), "invalid bill reference");
  if (auto s = check_id(group_id); !s) return s.error();
  auto bills = list_bills(ListQuery{group_id, "", {}});
  if (!bills) return bills.error();
  for (auto& b : *bills)
    if (b.group_id == group_id && reference_in(b.description) == reference) return std::optional<Bill>{std::move(b)};
  return std::optional<Bill>{};
}

Result<std::optional<RecurringBill>> AccountClient::find_recurring_bill_by_reference(const std::string& group_id,
                                                                                    const std::string& reference) {
  if (!is_valid_reference(reference)) return make_error(std::string(kBadArgument), "invalid bill reference");
  if (auto s = check_id(group_id); !s) return s.error();
  auto bills = list_recurring_bills(ListQuery{group_id, "", {}});
  if (!bills) return bills.error();
  for (auto& b : *bills)
    if (b.group_id == group_id && reference_in(b.description) == reference) return std::optional<RecurringBill>{std::move(b)};
  return std::optional<RecurringBill>{};
}

}  // namespace mno::account
