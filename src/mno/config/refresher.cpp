// Periodic re-fetch of the marketplace list. Rounds never overlap; a failed or empty round keeps the
// registry as it was and records why.
#include "mno/config/refresher.hpp"

#include <exception>

#include "mno/util/log.hpp"

namespace mno::config {

Refresher::Refresher(Registry& registry, Fetch fetch) : registry_(registry), fetch_(std::move(fetch)) {}

Refresher::Refresher(Registry& registry, http::HttpClient& client, DevPlatformSettings settings)
    : Refresher(registry, [&client, settings = std::move(settings)] { return fetch_marketplaces(client, settings); }) {}

Refresher::~Refresher() { stop(); }

Status Refresher::refresh_now() {
  std::lock_guard round(round_mu_);
  Status status;
  try {
    auto fetched = fetch_();
    if (!fetched) {
      status = fetched.error();
    } else if (fetched->empty() && registry_.size() > 0) {
      status = make_error("config.refresh_empty", "refresh returned no marketplace; keeping the configured ones");
    } else {
      size_t count = fetched->size();
      registry_.replace(std::move(*fetched));
      log::info("config.refreshed", {{"marketplaces", std::to_string(count)}});
    }
  } catch (const std::exception& e) {  // a user-supplied fetch must not kill the background thread
    status = make_error("config.refresh_failed", std::string("refresh threw: ") + e.what());
  } catch (...) {
    status = make_error("config.refresh_failed", "refresh threw an unknown exception");
  }
  if (!status)
    log::warn("config.refresh_failed", {{"code", status.error().code},
                                        {"detail", status.error().message},
                                        {"kept", std::to_string(registry_.size())}});
  std::lock_guard lock(mu_);
  last_error_ = status ? std::nullopt : std::optional<Error>(status.error());
  return status;
}

void Refresher::start(std::chrono::milliseconds interval) {
  stop();
  {
    std::lock_guard lock(mu_);
    stop_requested_ = false;
  }
  running_ = true;
  thread_ = std::thread([this, interval] { run(interval); });
}

void Refresher::stop() {
  {
    std::lock_guard lock(mu_);
    stop_requested_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  running_ = false;
}

bool Refresher::running() const { return running_; }

std::optional<Error> Refresher::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

void Refresher::run(std::chrono::milliseconds interval) {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval, [this] { return stop_requested_; })) {
    lock.unlock();
    (void)refresh_now();  // logged and recorded in last_error_
    lock.lock();
  }
}

}  // namespace mno::config
