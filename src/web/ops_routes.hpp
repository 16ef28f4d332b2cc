// Operations endpoints every server of ours exposes: GET /healthz (liveness, answered on the
// I/O thread) and GET /metrics (Prometheus text format).
#pragma once
#include <functional>
#include <memory>

#include "web/metrics.hpp"
#include "web/router.hpp"

namespace web {

// /healthz: 200 {"status":"ok"} when healthy() (or when it is empty), else 503 {"status":"unavailable"}.
// healthy() runs on an I/O thread: it must be cheap and must not block.
void add_ops_routes(Router& router, std::shared_ptr<Metrics> metrics, std::function<bool()> healthy = {});

}  // namespace web
