// The response a handler returns, plus Set-Cookie rendering. Independent of Beast; the server
// converts it to the wire format (Content-Length is always computed by the server).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace web {

struct Cookie {
  std::string name, value, path = "/";
  std::optional<long> max_age;  // seconds; 0 deletes the cookie; nullopt = browser session
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";  // "Strict", "Lax", "None" or "" (attribute omitted)

  std::string to_header() const;  // the Set-Cookie header value
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // "Close this connection now without writing a response": the server resets the TCP connection
  // (SO_LINGER 0, so the peer sees ECONNRESET, not a clean EOF) and sends no byte. For simulators
  // that must reproduce "the change was applied, then the connection dropped"; status and body are
  // ignored. Build it with Response::drop_connection().
  bool drop = false;

  // Replaces every header of that name (case-insensitive).
  void set_header(std::string name, std::string value);
  void add_header(std::string name, std::string value);
  void set_cookie(const Cookie& cookie);
  // Case-insensitive, first header of that name (tests and middleware use it).
  const std::string* header(std::string_view name) const;

  static Response text(int status, std::string body);   // text/plain; charset=utf-8
  static Response json(int status, std::string body);   // application/json
  static Response html(int status, std::string body);   // text/html; charset=utf-8
  static Response redirect(std::string location, int status = 303);
  static Response drop_connection() {
    Response r;
    r.drop = true;
    return r;
  }
};

// "Not Found" for 404 etc.; "" for unknown codes.
std::string_view status_reason(int status);

}  // namespace web
