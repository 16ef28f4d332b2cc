// /healthz and /metrics (see ops_routes.hpp).
#include "web/ops_routes.hpp"

#include <atomic>
#include <limits>

namespace web {

namespace {
// The last healthy() answer and when it was taken. Probes race on it without a lock: at worst two
// threads both refresh it, which is harmless.
struct HealthCache {
  std::function<bool()> healthy;
  std::chrono::steady_clock::duration ttl;
  std::atomic<bool> ok{true};
  std::atomic<std::chrono::steady_clock::rep> checked_at{std::numeric_limits<std::chrono::steady_clock::rep>::min()};

  bool get() {
    if (!healthy) return true;
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    auto last = checked_at.load(std::memory_order_relaxed);
    if (ttl.count() > 0 && last != std::numeric_limits<std::chrono::steady_clock::rep>::min() && now - last < ttl.count())
      return ok.load(std::memory_order_relaxed);
    bool v = healthy();
    ok.store(v, std::memory_order_relaxed);
    checked_at.store(now, std::memory_order_relaxed);
    return v;
  }
};
}  // namespace

void add_ops_routes(Router& router, std::shared_ptr<Metrics> metrics, std::function<bool()> healthy,
                    std::chrono::milliseconds health_cache) {
  auto cache = std::make_shared<HealthCache>();
  cache->healthy = std::move(healthy);
  cache->ttl = std::chrono::duration_cast<std::chrono::steady_clock::duration>(health_cache);
  RouteOptions health_opts;
  health_opts.blocking = false;
  health_opts.max_body = 0;
  router.add(
      "GET", "/healthz",
      [cache](Request&) {
        if (cache->get()) return Response::json(200, R"({"status":"ok"})");
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
