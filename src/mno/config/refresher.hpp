// Keeps a Registry current by refetching the marketplace list periodically. A failed or empty fetch
// keeps the previous marketplaces (an outage of the dev platform must not lock every tenant out).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "mno/config/dev_platform.hpp"
#include "mno/config/registry.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/result.hpp"

namespace mno::config {

class Refresher {
 public:
  using Fetch = std::function<Result<std::vector<Marketplace>>()>;

  Refresher(Registry& registry, Fetch fetch);
  // Fetches from the dev platform; `client` must outlive the Refresher.
  Refresher(Registry& registry, http::HttpClient& client, DevPlatformSettings settings);
  ~Refresher();  // stop()
  Refresher(const Refresher&) = delete;
  Refresher& operator=(const Refresher&) = delete;

  // One round: fetch, and replace() on success. An empty list while marketplaces are configured is
  // refused ("config.refresh_empty"). Errors are logged and returned; the registry is then unchanged.
  Status refresh_now();

  // Background thread calling refresh_now() every `interval` (first call after one interval).
  // Calling start() while running restarts with the new interval. Takes milliseconds so tests can use
  // short intervals; std::chrono::seconds converts implicitly.
  void start(std::chrono::milliseconds interval);
  // Wakes the thread immediately and joins it. Idempotent.
  void stop();
  bool running() const;

  // The error of the last round, if it failed.
  std::optional<Error> last_error() const;

 private:
  void run(std::chrono::milliseconds interval);

  Registry& registry_;
  Fetch fetch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_requested_ = false;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::optional<Error> last_error_;
  std::mutex round_mu_;  // serialises rounds (background + refresh_now)
};

}  // namespace mno::config
