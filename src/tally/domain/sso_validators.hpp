// One ResponseValidator per marketplace, built on first use and rebuilt when the registry hands out a
// different Marketplace object (a refresh from the developer platform may rotate the IdP certificate).
// Thread-safe; the validators themselves are immutable and shared.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "mno/config/marketplace.hpp"
#include "mno/saml/replay_cache.hpp"
#include "mno/saml/response_validator.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace tally {

class SsoValidators {
 public:
  SsoValidators(const mno::Clock& clock, std::shared_ptr<mno::saml::ReplayCache> replay_cache);
  // Errors: saml.config (e.g. no IdP certificate), saml.internal.
  mno::Result<std::shared_ptr<const mno::saml::ResponseValidator>> get(std::shared_ptr<const mno::config::Marketplace> m);

 private:
  const mno::Clock& clock_;
  std::shared_ptr<mno::saml::ReplayCache> replay_cache_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::shared_ptr<const mno::config::Marketplace>,
                                  std::shared_ptr<const mno::saml::ResponseValidator>>> cache_;
};

}  // namespace tally
