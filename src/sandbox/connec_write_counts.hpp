// How many writes (POST and PUT, including batch ops and the ones that changed nothing) each app made
// per group and collection since the sandbox started or was reset. An upsert that is sent twice leaves
// one record either way; this count is what lets a test tell "delivered exactly once" from
// "delivered, then re-sent" (for example several Tally workers draining one outbox). In memory only:
// it describes this sandbox process's traffic, not the Connec! data.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sandbox {

class ConnecWriteCounts {
 public:
  void add(const std::string& group, const std::string& collection, const std::string& origin) {
    std::lock_guard lock(mu_);
    ++counts_[group][origin][collection];
  }
  // origin -> collection -> writes, for one group.
  std::map<std::string, std::map<std::string, int64_t>> of_group(const std::string& group) const {
    std::lock_guard lock(mu_);
    auto it = counts_.find(group);
    return it == counts_.end() ? std::map<std::string, std::map<std::string, int64_t>>{} : it->second;
  }
  void clear() {
    std::lock_guard lock(mu_);
    counts_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, std::map<std::string, int64_t>>> counts_;
};

}  // namespace sandbox
