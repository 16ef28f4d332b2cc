// Rate limiting of failed logins, kept in the database (table login_failures) so that it holds
// across Tally processes: after max_per_email failures for one email, or max_per_ip for one IP,
// within `window`, further attempts are refused with auth.throttled until the oldest counted
// failure leaves the window. Time comes from the injected Clock.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace tally {

struct ThrottlePolicy {
  int max_per_email = 5;
  int max_per_ip = 20;
  std::chrono::seconds window{15 * 60};
};

class LoginThrottle {
 public:
  LoginThrottle(mno::db::Database& db, const mno::Clock& clock, ThrottlePolicy policy = {});

  // OK, or auth.throttled ("Too many failed login attempts; try again in N minutes") whose
  // Error::fields["retry_after"] holds the seconds to wait (see retry_after_seconds()).
  // email is normalised here; an empty remote_ip skips the per-IP check.
  mno::Status check(const std::string& email, const std::string& remote_ip);
  // Records one failed attempt for the email and the IP (old entries for them are pruned).
  mno::Status record_failure(const std::string& email, const std::string& remote_ip);
  // A successful login clears the email's failures (not the IP's).
  mno::Status clear_email(const std::string& email);
  // Deletes every failure older than the window; returns how many rows went.
  mno::Result<int64_t> purge_expired();

  const ThrottlePolicy& policy() const { return policy_; }

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  ThrottlePolicy policy_;
};

// The seconds to wait carried by an auth.throttled or sso.rate_limited error; nullopt for any other error.
std::optional<int64_t> retry_after_seconds(const mno::Error& error);

// The sliding-window rule over login_failures rows, shared by every store-backed limit (failed
// logins here, rejected SAML consumes in acs_rate_limit.hpp): the seconds until `subject` of `scope`
// has fewer than `limit` rows within `window` before `now` (at least 1), nullopt when it already has.
mno::Result<std::optional<int64_t>> window_wait(mno::db::Database& db, mno::TimePoint now, const std::string& scope,
                                                const std::string& subject, int limit, std::chrono::seconds window);
// Inside tx: prunes the subject's rows older than the window, then records one at `now`.
mno::Status record_window_event(mno::db::Connection& tx, mno::TimePoint now, const std::string& scope,
                                const std::string& subject, std::chrono::seconds window);

}  // namespace tally
