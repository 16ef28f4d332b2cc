// See acs_rate_limit.hpp. The window arithmetic is LoginThrottle's (window_wait, record_window_event),
// so the two limits cannot drift apart; only the scope, the policy and the error differ. As with
// logins, a refused (429) attempt is not recorded, so hammering does not extend the wait forever.
#include "tally/domain/acs_rate_limit.hpp"

#include "tally/domain/login_throttle.hpp"

namespace tally {

std::string acs_rejection_subject(const std::string& remote_ip) { return "acs:" + remote_ip; }

AcsRateLimit::AcsRateLimit(mno::db::Database& db, const mno::Clock& clock, AcsRatePolicy policy)
    : db_(db), clock_(clock), policy_(policy) {}

mno::Status AcsRateLimit::check(const std::string& remote_ip) {
  if (remote_ip.empty() || policy_.max_rejections_per_ip <= 0) return {};
  auto wait = window_wait(db_, clock_.now(), kAcsRejectionScope, acs_rejection_subject(remote_ip),
                          policy_.max_rejections_per_ip, policy_.window);
  if (!wait.ok()) return wait.error();
  if (!*wait) return {};
  const int64_t minutes = (**wait + 59) / 60;
  auto e = mno::make_error("sso.rate_limited", "Too many sign-in attempts from this network; try again in " +
                                                   std::to_string(minutes) + (minutes == 1 ? " minute." : " minutes."));
  e.fields["retry_after"] = std::to_string(**wait);
  return e;
}

mno::Status AcsRateLimit::record_rejection(const std::string& remote_ip) {
  if (remote_ip.empty() || policy_.max_rejections_per_ip <= 0) return {};
  const mno::TimePoint now = clock_.now();
  return db_.transaction([&](mno::db::Connection& tx) {
    return record_window_event(tx, now, kAcsRejectionScope, acs_rejection_subject(remote_ip), policy_.window);
  });
}

}  // namespace tally
