// Operations endpoints every server of ours exposes: GET /healthz (liveness, answered on the
// I/O thread) and GET /metrics (Prometheus text format).
#pragma once
#include <chrono>
#include <functional>
#include <memory>

#include "web/metrics.hpp"
#include "web/router.hpp"

namespace web {

// /healthz: 200 {"status":"ok"} when healthy() (or when it is empty), else 503 {"status":"unavailable"}.
// healthy() runs on an I/O thread, so its answer is cached for `health_cache`: under load it is
// called at most about once per interval instead of once per probe (0 = call it every time).
// It must still be quick (e.g. "SELECT 1"), never a remote call.
void add_ops_routes(Router& router, std::shared_ptr<Metrics> metrics, std::function<bool()> healthy = {},
                    std::chrono::milliseconds health_cache = std::chrono::milliseconds(1000));

}  // namespace web
