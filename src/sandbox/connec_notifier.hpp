// Connec! -> app notifications as the sandbox sends them (connec.md 3, 7): every create/update is
// buffered; a flush (every `interval`, or on request from the control API) builds, per target app,
// one POST body {collection: [records as GET renders them, each with its group_id]} that may mix
// collections and groups, and hands it to the delivery function (the sandbox's outbound delivery
// queue, webhook_delivery.hpp, which persists, retries and logs). The app that made the change is never notified of it (7: the
// simulator does not echo); changes made as "another app" from the admin UI or control API reach
// the group's app. A group's app is its marketplace's app: URL = app_host + the marketplace's
// connec notification path, Basic auth with that marketplace's api.id:api.key.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mno/util/result.hpp"
#include "sandbox/connec_store.hpp"
#include "sandbox/directory.hpp"
#include "sandbox/sandbox_state.hpp"
#include "sandbox/webhook_delivery.hpp"

namespace sandbox {

// One outbound notification request. body is the JSON text; records = how many it carries.
struct ConnecNotification {
  std::string marketplace;
  std::string url;
  std::string basic_user;      // the marketplace's api.id
  std::string basic_password;  // the marketplace's api.key
  std::string body;
  size_t records = 0;
};

using ConnecDeliver = std::function<mno::Status(const ConnecNotification&)>;

// Hands each notification to the sandbox's outbound delivery queue (kind "connec.notification"), which
// persists, retries and logs it.
ConnecDeliver queued_connec_deliver(std::shared_ptr<DeliveryQueue> queue);

// Who made a change: a marketplace's app id ("app-tally-sbx") or "other:<name>" for changes made
// as another app (admin UI, control API, seeding).
std::string other_app_origin(const std::string& name);

// A directory group as Connec! scopes it: channel = its org uid, or "org-<group uid>" when it has none.
ConnecGroup connec_scope(const DirectoryGroup& group);

class ConnecNotifier {
 public:
  ConnecNotifier(std::shared_ptr<SandboxState> state, std::shared_ptr<Directory> directory,
                 std::shared_ptr<ConnecStore> store, ConnecDeliver deliver, size_t max_records_per_request = 100);
  ~ConnecNotifier();
  ConnecNotifier(const ConnecNotifier&) = delete;
  ConnecNotifier& operator=(const ConnecNotifier&) = delete;

  void record(const std::string& group, const std::string& collection, const std::string& connec_id,
              const std::string& origin_app);
  // Sends everything buffered now; returns the number of requests handed to deliver. Records whose
  // only app made the change are dropped here. A failed hand-over keeps nothing (delivery retries
  // are the queue's job); the error is returned after the other requests were handed over.
  mno::Result<size_t> flush();
  size_t pending() const;

  // Background flushing every interval until stop() (or destruction).
  void start(std::chrono::milliseconds interval);
  void stop();

 private:
  struct Change {
    std::string group, collection, connec_id, origin;
  };
  std::shared_ptr<SandboxState> state_;
  std::shared_ptr<Directory> directory_;
  std::shared_ptr<ConnecStore> store_;
  ConnecDeliver deliver_;
  size_t max_records_;
  mutable std::mutex mu_;
  std::vector<Change> buffer_;
  std::mutex flush_mu_;  // one flush at a time keeps per-record order
  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sandbox
