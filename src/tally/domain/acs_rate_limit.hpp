// Per-client-IP rate limit on the SAML ACS (security.md 1.4 step 1). What is counted is REJECTED
// consume attempts (bad, replayed, unsolicited or missing SAMLResponse): a browser that signs in
// normally never comes near the limit, even behind an office NAT, while anyone probing the ACS with
// forged or replayed responses is stopped after max_rejections_per_ip within `window` and gets 429
// with Retry-After until the oldest counted rejection leaves the window. The rejections are rows of
// the login_failures table (scope "ip", subject "acs:<ip>", so they never count as failed password
// logins of that IP and need no migration) read with LoginThrottle's sliding-window rule, so the
// limit holds across every Tally process sharing one database.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace tally {

struct AcsRatePolicy {
  int max_rejections_per_ip = 20;  // 0 = no limit
  std::chrono::seconds window{10 * 60};
};

class AcsRateLimit {
 public:
  AcsRateLimit(mno::db::Database& db, const mno::Clock& clock, AcsRatePolicy policy = {});

  // OK, or sso.rate_limited whose Error::fields["retry_after"] holds the seconds to wait
  // (retry_after_seconds() in login_throttle.hpp reads it). An empty remote_ip is never limited.
  mno::Status check(const std::string& remote_ip);
  // Counts one rejected consume from this IP (and prunes the IP's rows older than the window).
  mno::Status record_rejection(const std::string& remote_ip);

  const AcsRatePolicy& policy() const { return policy_; }
  void set_policy(AcsRatePolicy policy) { policy_ = policy; }  // tests and settings, before serving

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  AcsRatePolicy policy_;
};

// How ACS rejections are keyed in login_failures.
inline constexpr const char* kAcsRejectionScope = "ip";
std::string acs_rejection_subject(const std::string& remote_ip);  // "acs:" + remote_ip

}  // namespace tally
