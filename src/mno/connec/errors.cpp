// HTTP outcome -> stable connec.* error, and the retry classification the sync engine relies on; see errors.hpp.
#include "mno/connec/errors.hpp"

#include <ctime>
#include <string>

#include <nlohmann/json.hpp>

namespace mno::connec {
namespace {

constexpr size_t kBodyKept = 1000;

std::optional<std::chrono::seconds> parse_retry_after(const std::string& value, TimePoint now) {
  if (value.empty()) return std::nullopt;
  bool digits = value.find_first_not_of("0123456789") == std::string::npos;
  if (digits) {
    if (value.size() > 9) return std::chrono::seconds(999999999);
    return std::chrono::seconds(std::stoll(value));
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  auto d = std::chrono::duration_cast<std::chrono::seconds>(at - now);
  return d.count() > 0 ? d : std::chrono::seconds(0);
}

// Adds "field.<name>" entries from the mock envelope {errors:[{source:{pointer}, detail, title}]} or a plain
// {errors:{name:[msgs]}} object, the two shapes we know.
void add_field_errors(Error& e, std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return;
  auto it = j.find("errors");
  if (it == j.end()) return;
  if (it->is_object()) {
    for (auto& [k, v] : it->items()) {
      std::string msg = v.is_array() && !v.empty() && v[0].is_string() ? v[0].get<std::string>()
                        : v.is_string()                                 ? v.get<std::string>()
                                                                        : v.dump();
      e.fields["field." + k] = msg;
    }
  } else if (it->is_array()) {
    for (auto& x : *it) {
      if (!x.is_object()) continue;
      std::string detail = x.value("detail", x.value("title", std::string()));
      std::string name;
      if (auto src = x.find("source"); src != x.end() && src->is_object()) {
        name = src->value("pointer", src->value("parameter", std::string()));
        auto slash = name.find_last_of('/');
        if (slash != std::string::npos) name = name.substr(slash + 1);
      }
      if (name.empty()) name = x.value("field", std::string());
      if (!name.empty()) e.fields["field." + name] = detail;
      else if (e.message.find(detail) == std::string::npos && !detail.empty()) e.message += ": " + detail;
    }
  }
}

Error base_error(int status, std::string_view body) {
  Error e;
  if (status == 401 || status == 403) {
    e = make_error("connec.unauthorized", "Connec! refused the credentials (HTTP " + std::to_string(status) + ")");
  } else if (status == 404) {
    e = make_error("connec.not_found", "Connec! record or collection not found");
  } else if (status == 400 || status == 422) {
    e = make_error("connec.invalid", "Connec! rejected the record as invalid (HTTP " + std::to_string(status) + ")");
    add_field_errors(e, body);
  } else if (status == 429) {
    e = make_error("connec.rate_limited", "Connec! rate limit hit (HTTP 429)");
  } else if (status == 408 || status == 425) {
    e = make_error("connec.transient", "Connec! did not process the request (HTTP " + std::to_string(status) + ")");
  } else if (status >= 500) {
    e = make_error("connec.server_error", "Connec! server error (HTTP " + std::to_string(status) + ")");
  } else if (status >= 400) {
    e = make_error("connec.rejected", "Connec! rejected the request (HTTP " + std::to_string(status) + ")");
  } else {
    e = make_error("connec.bad_response", "unexpected HTTP status " + std::to_string(status) + " from Connec!");
  }
  e.fields["status"] = std::to_string(status);
  e.fields["body"] = std::string(body.substr(0, kBodyKept));
  return e;
}

}  // namespace

Error error_from_response(const http::Response& response, TimePoint now) {
  Error e = base_error(response.status, response.body);
  if (response.status == 429 || response.status == 503) {
    if (auto ra = response.header("retry-after")) {
      if (auto s = parse_retry_after(*ra, now)) e.fields["retry_after"] = std::to_string(s->count());
    }
  }
  return e;
}

Error error_from_status(int status, std::string_view body) { return base_error(status, body); }

Error error_from_transport(const Error& transport_error, bool write) {
  Error e;
  if (transport_error.code == "http.connect") {
    e = make_error("connec.unreachable", "cannot connect to Connec!: " + transport_error.message);
  } else if (write) {
    e = make_error("connec.ambiguous",
                   "Connec! write outcome unknown (" + transport_error.code + "): " + transport_error.message);
  } else {
    e = make_error("connec.timeout", "Connec! read failed (" + transport_error.code + "): " + transport_error.message);
  }
  e.fields["transport"] = transport_error.code;
  return e;
}

bool is_retryable(const Error& error) {
  const auto& c = error.code;
  return c == "connec.rate_limited" || c == "connec.transient" || c == "connec.server_error" ||
         c == "connec.unreachable" || c == "connec.timeout" || c == "connec.ambiguous";
}

std::optional<std::chrono::seconds> retry_after(const Error& error) {
  auto it = error.fields.find("retry_after");
  if (it == error.fields.end()) return std::nullopt;
  try {
    return std::chrono::seconds(std::stoll(it->second));
  } catch (...) {
    return std::nullopt;
  }
}

int error_status(const Error& error) {
  auto it = error.fields.find("status");
  if (it == error.fields.end()) return 0;
  try {
    return std::stoi(it->second);
  } catch (...) {
    return 0;
  }
}

}  // namespace mno::connec
