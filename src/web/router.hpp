// Maps (method, path) to a handler. Patterns are literal segments, "{name}" parameters (one
// segment) and a final "{name...}" tail (the rest of the path, may contain '/'). Literal-only
// patterns are looked up in a hash map (the hot path for /healthz); others are tried in
// registration order. Routes are added before the server starts and are read-only afterwards.
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/request.hpp"
#include "web/response.hpp"

namespace web {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  size_t max_body = 1 << 20;  // bytes; larger bodies get 413 without being read
  bool blocking = true;       // false: cheap handler run directly on the I/O thread (e.g. /healthz)
  std::string name;           // metrics/log label; default: the pattern
  // Optional check run after the headers arrive and BEFORE the body is read (e.g. webhook Basic
  // auth): returning a response sends it and closes the connection without reading the body.
  // Runs where the handler runs (worker pool when blocking).
  std::function<std::optional<Response>(Request&)> precheck;
};

struct Route {
  size_t index = 0;  // dense, in registration order (the server keys per-route metrics on it)
  std::string method;
  std::string pattern;
  Handler handler;
  RouteOptions options;  // options.name is filled with the pattern when empty
};

struct Match {
  enum class Kind { found, not_found, method_not_allowed };
  Kind kind = Kind::not_found;
  const Route* route = nullptr;               // when found
  std::map<std::string, std::string> params;  // when found
  std::string allow;                          // when method_not_allowed: "GET, HEAD, POST"
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Throws std::invalid_argument for a malformed pattern or a duplicate (method, pattern):
  // both are programming errors found at startup.
  void add(std::string_view method, std::string_view pattern, Handler handler, RouteOptions options = {});
  // `path` is the percent-decoded path. HEAD falls back to GET.
  Match match(std::string_view method, std::string_view path) const;

  size_t size() const;
  const Route& route(size_t index) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace web
