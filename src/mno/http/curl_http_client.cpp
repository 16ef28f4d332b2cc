// libcurl transport: one easy handle per call (so any number of threads may send at once), TLS peer
// and host verification always on, bounded time and body size, and curl errors mapped to stable codes.
#include "mno/http/curl_http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace mno::http {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  Response* response;
  size_t max_body;
  size_t header_bytes = 0;
  bool too_large = false;
};

constexpr size_t kMaxHeaderBytes = 256 * 1024;

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (sink->response->body.size() + n > sink->max_body) {
    sink->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  sink->response->body.append(data, n);
  return n;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return std::string(s.substr(b, e - b));
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  sink->header_bytes += n;
  if (sink->header_bytes > kMaxHeaderBytes) {
    sink->too_large = true;
    return 0;
  }
  std::string_view line(data, n);
  // A new status line (after "100 Continue" or a followed redirect) starts a fresh header set.
  if (line.starts_with("HTTP/")) {
    sink->response->headers.clear();
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name = trim(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  sink->response->headers.emplace_back(std::move(name), trim(line.substr(colon + 1)));
  return n;
}

std::string_view error_code_for(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return "http.timeout";
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return "http.connect";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
      return "http.tls";
    case CURLE_FILESIZE_EXCEEDED:
      return "http.too_large";
    default:
      return "http.transport";
  }
}

// The query string may carry tokens; error messages and logs name only scheme://host/path.
std::string redact_url(const std::string& url) {
  auto q = url.find_first_of("?#");
  return q == std::string::npos ? url : url.substr(0, q);
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

}  // namespace

CurlHttpClient::CurlHttpClient(CurlOptions options) : options_(std::move(options)) { global_init_once(); }

Result<Response> CurlHttpClient::send(const Request& request) {
  global_init_once();
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return make_error("http.transport", "curl_easy_init failed");
  CURL* c = easy.get();

  Response response;
  Sink sink{&response, options_.max_response_bytes};
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts must not use SIGALRM in a threaded process
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.ca_path.empty()) curl_easy_setopt(c, CURLOPT_CAPATH, options_.ca_path.c_str());
  if (options_.proxy) curl_easy_setopt(c, CURLOPT_PROXY, options_.proxy->c_str());
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  if (options_.max_redirects > 0) {
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, options_.max_redirects);
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  } else {
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  }
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);

  if (request.basic_auth) {
    // curl sends these only to the original host, never to a redirect target.
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(c, CURLOPT_USERNAME, request.basic_auth->first.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, request.basic_auth->second.c_str());
  }

  const std::string& m = request.method;
  if (m == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (m == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    if (m != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m.c_str());
    if (m == "POST" || !request.body.empty()) {
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  curl_slist* list = nullptr;
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    std::string line = value.empty() ? name + ";" : name + ": " + value;  // "Name;" = send an empty header
    list = curl_slist_append(list, line.c_str());
    if (name.size() == 12 && curl_strnequal(name.c_str(), "Content-Type", 12)) has_content_type = true;
  }
  if (!request.body.empty() && !has_content_type) list = curl_slist_append(list, "Content-Type: application/octet-stream");
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip for large bodies
  std::unique_ptr<curl_slist, SlistDeleter> headers(list);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string_view code = sink.too_large ? "http.too_large" : error_code_for(rc);
    std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    return make_error(std::string(code), m + " " + redact_url(request.url) + ": " + detail);
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace mno::http
