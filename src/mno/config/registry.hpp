// The set of marketplaces the app currently serves. Readers take an immutable snapshot and never wait
// for a refresh (replace() builds the new snapshot first, then swaps a pointer); lookups by
// credentials are constant time with respect to the secrets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mno/config/marketplace.hpp"

namespace mno::config {

class Registry {
 public:
  Registry();
  explicit Registry(std::vector<Marketplace> marketplaces);

  // Atomically swaps in a new set. With duplicate names the first wins (and a warning is logged);
  // marketplaces_from_json already rejects duplicates.
  void replace(std::vector<Marketplace> marketplaces);

  std::shared_ptr<const Marketplace> find(std::string_view name) const;
  // Compares id and key of EVERY marketplace with secure_equals, combined with bitwise AND, no early
  // exit; returns the first match or nullptr.
  std::shared_ptr<const Marketplace> find_by_credentials(std::string_view api_id, std::string_view api_key) const;
  // Marketplace `name` if these are its credentials, else nullptr. Same constant-time comparison over
  // every entry, on one snapshot (so a concurrent refresh cannot pair old credentials with a new entry).
  std::shared_ptr<const Marketplace> find_with_credentials(std::string_view name, std::string_view api_id,
                                                           std::string_view api_key) const;
  bool credentials_match(std::string_view name, std::string_view api_id, std::string_view api_key) const {
    return find_with_credentials(name, api_id, api_key) != nullptr;
  }

  std::vector<std::string> names() const;  // in configuration order
  size_t size() const;
  std::vector<std::shared_ptr<const Marketplace>> all() const;
  // The single marketplace when exactly one is configured, else nullptr.
  std::shared_ptr<const Marketplace> only() const;
  // Increases by one at each replace(); lets callers notice a refresh.
  uint64_t generation() const;

 private:
  struct Snapshot;
  std::shared_ptr<const Snapshot> snapshot() const;

  mutable std::mutex mu_;  // guards only the pointer copy/swap
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace mno::config
