// Named shorthands for the common RouteOptions, so call sites say what a route is
// ("cheap, answered on the I/O thread" or "named, with this body cap") in one word.
#pragma once
#include <cstddef>
#include <string>

#include "web/router.hpp"

namespace web {

// A normal route (handler runs on the worker pool) with a metrics/log name and a body cap.
inline RouteOptions named(std::string name, size_t max_body = 1 << 20) {
  RouteOptions o;
  o.name = std::move(name);
  o.max_body = max_body;
  return o;
}

// A cheap, CPU-only route with no body, answered directly on the I/O thread.
inline RouteOptions non_blocking(std::string name) {
  RouteOptions o = named(std::move(name), 0);
  o.blocking = false;
  return o;
}

}  // namespace web
