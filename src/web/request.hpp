// The request a handler sees: already parsed and percent-decoded, independent of Beast so that
// application code compiles without the HTTP library's headers.
#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace web {

struct Session;

struct Request {
  std::string method;       // "GET", "POST", ... as sent
  std::string target;       // raw request target ("/a%20b?x=1")
  std::string path;         // percent-decoded path, no query ("/a b")
  std::string query;        // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order
  std::string body;
  std::string remote_addr;  // peer IP address
  std::map<std::string, std::string> params;  // route path parameters ("{id}" -> value)
  std::shared_ptr<Session> session;           // set by SessionManager::attach/start

  // Case-insensitive lookup; the first header of that name.
  std::optional<std::string> header(std::string_view name) const;
  size_t header_count(std::string_view name) const;
  // First query parameter of that name, decoded ('+' = space).
  std::optional<std::string> query_param(std::string_view name) const;
  // Value of a cookie from the Cookie header(s), as sent (not decoded).
  std::optional<std::string> cookie(std::string_view name) const;
  // application/x-www-form-urlencoded body fields (first value wins); empty for other content types.
  std::map<std::string, std::string> form() const;
};

}  // namespace web
