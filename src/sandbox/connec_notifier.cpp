// See connec_notifier.hpp. Records are read at flush time, so a notification carries the record as it
// is then (several changes to one record within an interval become one entry).
#include "sandbox/connec_notifier.hpp"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "mno/util/log.hpp"

namespace sandbox {

std::string other_app_origin(const std::string& name) { return "other:" + (name.empty() ? std::string("app") : name); }

ConnecDeliver queued_connec_deliver(std::shared_ptr<DeliveryQueue> queue) {
  return [queue = std::move(queue)](const ConnecNotification& n) -> mno::Status {
    OutboundDelivery d;
    d.marketplace = n.marketplace;
    d.kind = "connec.notification";
    d.method = "POST";
    d.url = n.url;
    d.headers = {{"Content-Type", "application/json"}};
    d.basic_auth = std::make_pair(n.basic_user, n.basic_password);
    d.body = n.body;
    auto id = queue->enqueue(d);
    if (!id) return id.error();
    return {};
  };
}

ConnecGroup connec_scope(const DirectoryGroup& g) { return {g.uid, g.org_uid.empty() ? "org-" + g.uid : g.org_uid}; }

ConnecNotifier::ConnecNotifier(std::shared_ptr<SandboxState> state, std::shared_ptr<Directory> directory,
                               std::shared_ptr<ConnecStore> store, ConnecDeliver deliver, size_t max_records_per_request)
    : state_(std::move(state)),
      directory_(std::move(directory)),
      store_(std::move(store)),
      deliver_(std::move(deliver)),
      max_records_(max_records_per_request == 0 ? 1 : max_records_per_request) {}

ConnecNotifier::~ConnecNotifier() { stop(); }

void ConnecNotifier::record(const std::string& group, const std::string& collection, const std::string& connec_id,
                            const std::string& origin_app) {
  std::lock_guard lock(mu_);
  buffer_.push_back({group, collection, connec_id, origin_app});
}

size_t ConnecNotifier::pending() const {
  std::lock_guard lock(mu_);
  return buffer_.size();
}

mno::Result<size_t> ConnecNotifier::flush() {
  std::lock_guard flushing(flush_mu_);
  std::vector<Change> changes;
  {
    std::lock_guard lock(mu_);
    changes.swap(buffer_);
  }
  if (changes.empty()) return size_t{0};

  struct Target {
    MarketplaceRecord market;
    std::vector<std::tuple<std::string, std::string, std::string>> records;  // group, collection, id
    std::set<std::tuple<std::string, std::string, std::string>> seen;
  };
  std::map<std::string, Target> targets;
  std::map<std::string, std::optional<DirectoryGroup>> groups;
  for (const auto& ch : changes) {
    auto g = groups.find(ch.group);
    if (g == groups.end()) {
      auto found = directory_->group(ch.group);
      if (!found) return found.error();
      g = groups.emplace(ch.group, *found).first;
    }
    if (!g->second) continue;  // the group was deleted meanwhile
    const auto& market_name = g->second->marketplace;
    auto t = targets.find(market_name);
    if (t == targets.end()) {
      auto m = state_->marketplace(market_name);
      if (!m) return m.error();
      if (!*m) continue;
      t = targets.emplace(market_name, Target{**m, {}, {}}).first;
    }
    // The group's app made this change: no echo (connec.md 7).
    if (ch.origin == t->second.market.app_id) continue;
    auto key = std::make_tuple(ch.group, ch.collection, ch.connec_id);
    if (t->second.seen.insert(key).second) t->second.records.push_back(key);
  }

  size_t sent = 0;
  std::optional<mno::Error> first_error;
  for (auto& [name, t] : targets) {
    auto described = state_->describe(t.market);
    std::string app_host = t.market.app_host;
    while (!app_host.empty() && app_host.back() == '/') app_host.pop_back();
    const std::string url = app_host + described.webhooks.connec.notification_path;
    for (size_t b = 0; b < t.records.size(); b += max_records_) {
      nlohmann::json body = nlohmann::json::object();
      size_t count = 0;
      for (size_t i = b; i < std::min(t.records.size(), b + max_records_); ++i) {
        const auto& [group, collection, id] = t.records[i];
        auto rec = store_->get(connec_scope(*groups.at(group)), collection, id);
        if (!rec) {
          if (rec.error().code != "connec.not_found") mno::log::warn("sandbox.connec_notify_read", {{"code", rec.error().code}});
          continue;
        }
        body[collection].push_back(std::move(*rec));
        ++count;
      }
      if (count == 0) continue;
      ConnecNotification n{name, url, t.market.app_id, t.market.api_key, body.dump(), count};
      if (auto s = deliver_(n); !s) {
        mno::log::warn("sandbox.connec_notify_failed", {{"marketplace", name}, {"code", s.error().code}, {"message", s.error().message}});
        if (!first_error) first_error = s.error();
        continue;
      }
      mno::log::info("sandbox.connec_notified", {{"marketplace", name}, {"records", std::to_string(count)}});
      ++sent;
    }
  }
  if (first_error) return *first_error;
  return sent;
}

void ConnecNotifier::start(std::chrono::milliseconds interval) {
  std::lock_guard lock(run_mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(run_mu_);
    while (!stopping_) {
      run_cv_.wait_for(lock, interval, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      if (auto r = flush(); !r) mno::log::warn("sandbox.connec_flush_failed", {{"code", r.error().code}});
      lock.lock();
    }
  });
}

void ConnecNotifier::stop() {
  {
    std::lock_guard lock(run_mu_);
    stopping_ = true;
  }
  run_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sandbox
