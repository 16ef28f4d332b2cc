// Adapter registry lookups; see adapter.hpp.
#include "mno/sync/adapter.hpp"

namespace mno::sync {

void AdapterRegistry::add(std::shared_ptr<EntityAdapter> adapter) {
  by_entity_[adapter->entity()] = adapter;
  by_collection_[adapter->collection()] = adapter;
}

EntityAdapter* AdapterRegistry::by_entity(std::string_view entity) const {
  auto it = by_entity_.find(entity);
  return it == by_entity_.end() ? nullptr : it->second.get();
}

EntityAdapter* AdapterRegistry::by_collection(std::string_view collection) const {
  auto it = by_collection_.find(collection);
  return it == by_collection_.end() ? nullptr : it->second.get();
}

std::vector<std::string> AdapterRegistry::collections() const {
  std::vector<std::string> out;
  for (auto& [k, v] : by_collection_) out.push_back(k);
  return out;
}

}  // namespace mno::sync
