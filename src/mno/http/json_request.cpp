// JSON request builder shared by the Account API, Connec! and dev-platform clients.
#include "mno/http/json_request.hpp"

namespace mno::http {

Request json_request(std::string method, std::string url, const nlohmann::json& body) {
  Request r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers.emplace_back("Accept", "application/json");
  if (!body.is_null()) {
    r.headers.emplace_back("Content-Type", "application/json");
    // Invalid UTF-8 in a string becomes U+FFFD instead of throwing out of a request builder.
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return r;
}

}  // namespace mno::http
