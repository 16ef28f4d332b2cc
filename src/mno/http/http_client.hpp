// The outbound HTTP abstraction every libmno module talks through (Account API, Connec!, dev platform,
// session re-checks). An interface so that tests and apps can swap in FakeHttpClient instead of the network.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mno/util/result.hpp"

namespace mno::http {

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // user, password: sent as "Authorization: Basic ..." (never logged).
  std::optional<std::pair<std::string, std::string>> basic_auth;
  std::chrono::milliseconds timeout{30000};          // whole exchange
  std::chrono::milliseconds connect_timeout{5000};   // TCP + TLS handshake
};

struct Response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order
  std::string body;
  // First value of a header; the name is matched case-insensitively.
  std::optional<std::string> header(std::string_view name) const;
};

// Error codes of send(): "http.timeout", "http.connect", "http.tls", "http.transport", "http.too_large".
// Any HTTP status, 4xx and 5xx included, is a successful Response: what a status means is the caller's business.
class HttpClient {
 public:
  virtual ~HttpClient();
  virtual Result<Response> send(const Request& request) = 0;
};

}  // namespace mno::http
