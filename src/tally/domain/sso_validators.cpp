// See sso_validators.hpp. Building a validator parses the pinned certificate(s); doing it once per
// marketplace object keeps that off the per-login path.
#include "tally/domain/sso_validators.hpp"

namespace tally {

SsoValidators::SsoValidators(const mno::Clock& clock, std::shared_ptr<mno::saml::ReplayCache> replay_cache)
    : clock_(clock), replay_cache_(std::move(replay_cache)) {}

mno::Result<std::shared_ptr<const mno::saml::ResponseValidator>> SsoValidators::get(
    std::shared_ptr<const mno::config::Marketplace> m) {
  if (!m) return mno::make_error("saml.config", "no marketplace");
  std::lock_guard lock(mu_);
  auto it = cache_.find(m->name);
  // Same object, or an equal configuration after a refresh: reuse.
  if (it != cache_.end() && (it->second.first == m || *it->second.first == *m)) return it->second.second;
  auto v = mno::saml::ResponseValidator::create(*m, clock_, replay_cache_);
  if (!v.ok()) return v.error();
  cache_[m->name] = {m, *v};
  return *v;
}

}  // namespace tally
