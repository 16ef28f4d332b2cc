// /healthz and /metrics (see ops_routes.hpp).
#include "web/ops_routes.hpp"

namespace web {

void add_ops_routes(Router& router, std::shared_ptr<Metrics> metrics, std::function<bool()> healthy) {
  RouteOptions health_opts;
  health_opts.blocking = false;
  health_opts.max_body = 0;
  router.add(
      "GET", "/healthz",
      [healthy = std::move(healthy)](Request&) {
        if (!healthy || healthy()) return Response::json(200, R"({"status":"ok"})");
        return Response::json(503, R"({"status":"unavailable"})");
      },
      health_opts);

  RouteOptions metrics_opts;
  metrics_opts.max_body = 0;
  router.add(
      "GET", "/metrics",
      [metrics = std::move(metrics)](Request&) {
        Response res;
        res.headers.emplace_back("Content-Type", std::string(kMetricsContentType));
        res.headers.emplace_back("Cache-Control", "no-store");
        if (metrics) res.body = metrics->render();
        return res;
      },
      metrics_opts);
}

}  // namespace web
