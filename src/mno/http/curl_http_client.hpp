// libcurl implementation of HttpClient: TLS verification always on, bounded time and response size,
// no redirects unless asked, safe to call from many threads at once (one easy handle per call).
#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include "mno/http/http_client.hpp"
#include "mno/http/json_request.hpp"

namespace mno::http {

struct CurlOptions {
  std::string ca_file;                          // PEM bundle; empty = the system default store
  std::string ca_path;                          // hashed CA directory; empty = default
  size_t max_response_bytes = 8 * 1024 * 1024;  // larger bodies fail with "http.too_large"
  long max_redirects = 0;                       // 0 = follow no redirects (3xx is returned as is)
  std::string user_agent = "libmno-cpp/0.1";
  std::optional<std::string> proxy;             // nullopt = libcurl default (http_proxy etc.); "" = never a proxy
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options = {});
  Result<Response> send(const Request& request) override;
  const CurlOptions& options() const { return options_; }

 private:
  CurlOptions options_;
};

}  // namespace mno::http
