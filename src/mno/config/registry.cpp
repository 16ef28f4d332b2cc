// Registry: immutable snapshots swapped under a short lock, and constant-time credential lookup
// (every entry compared, results combined with bitwise operations, no early exit).
#include "mno/config/registry.hpp"

#include "mno/util/log.hpp"
#include "mno/util/secure_compare.hpp"

namespace mno::config {

namespace {
// 1 when the credentials equal this entry's; an entry without credentials never matches (defence in
// depth: the JSON loader already requires both).
unsigned credentials_equal(const Marketplace& m, std::string_view api_id, std::string_view api_key) {
  return static_cast<unsigned>(secure_equals(api_id, m.api.id)) & static_cast<unsigned>(secure_equals(api_key, m.api.key)) &
         static_cast<unsigned>(!m.api.id.empty()) & static_cast<unsigned>(!m.api.key.empty());
}
}  // namespace

struct Registry::Snapshot {
  std::vector<std::shared_ptr<const Marketplace>> list;
  uint64_t generation = 0;
};

Registry::Registry() : snapshot_(std::make_shared<const Snapshot>()) {}

Registry::Registry(std::vector<Marketplace> marketplaces) : Registry() { replace(std::move(marketplaces)); }

void Registry::replace(std::vector<Marketplace> marketplaces) {
  auto next = std::make_shared<Snapshot>();
  for (auto& m : marketplaces) {
    bool duplicate = false;
    for (const auto& existing : next->list) duplicate = duplicate || existing->name == m.name;
    if (duplicate) {
      log::warn("config.registry_duplicate", {{"marketplace", m.name}});
      continue;
    }
    next->list.push_back(std::make_shared<const Marketplace>(std::move(m)));
  }
  std::lock_guard lock(mu_);
  next->generation = snapshot_->generation + 1;
  snapshot_ = std::move(next);
}

std::shared_ptr<const Registry::Snapshot> Registry::snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

std::shared_ptr<const Marketplace> Registry::find(std::string_view name) const {
  auto snap = snapshot();
  for (const auto& m : snap->list)
    if (m->name == name) return m;
  return nullptr;
}

std::shared_ptr<const Marketplace> Registry::find_by_credentials(std::string_view api_id, std::string_view api_key) const {
  auto snap = snapshot();
  size_t chosen = 0;
  unsigned any = 0;
  for (size_t i = 0; i < snap->list.size(); ++i) {
    const auto& m = *snap->list[i];
    unsigned match = credentials_equal(m, api_id, api_key);
    unsigned first = match & ~any & 1u;
    // Branch-free select of the first match: mask is all ones when `first` is 1.
    size_t mask = static_cast<size_t>(0) - static_cast<size_t>(first);
    chosen = (i & mask) | (chosen & ~mask);
    any |= match;
  }
  return any ? snap->list[chosen] : nullptr;
}

std::shared_ptr<const Marketplace> Registry::find_with_credentials(std::string_view name, std::string_view api_id,
                                                                   std::string_view api_key) const {
  auto snap = snapshot();
  size_t chosen = 0;
  unsigned any = 0;
  for (size_t i = 0; i < snap->list.size(); ++i) {
    const auto& m = *snap->list[i];
    unsigned match = credentials_equal(m, api_id, api_key) & static_cast<unsigned>(m.name == name);  // names are public; only the secrets need constant time
    size_t mask = static_cast<size_t>(0) - static_cast<size_t>(match & ~any & 1u);
    chosen = (i & mask) | (chosen & ~mask);
    any |= match;
  }
  return any ? snap->list[chosen] : nullptr;
}

std::vector<std::string> Registry::names() const {
  auto snap = snapshot();
  std::vector<std::string> out;
  out.reserve(snap->list.size());
  for (const auto& m : snap->list) out.push_back(m->name);
  return out;
}

size_t Registry::size() const { return snapshot()->list.size(); }

std::vector<std::shared_ptr<const Marketplace>> Registry::all() const { return snapshot()->list; }

std::shared_ptr<const Marketplace> Registry::only() const {
  auto snap = snapshot();
  return snap->list.size() == 1 ? snap->list.front() : nullptr;
}

uint64_t Registry::generation() const { return snapshot()->generation; }

}  // namespace mno::config
