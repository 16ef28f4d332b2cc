// See login_throttle.hpp. A sliding window over failure rows: the wait is until the failure that
// keeps the count at the limit leaves the window. Throttled attempts are not recorded, so an
// attacker hammering a locked account does not extend the lock indefinitely; the check and the
// record are separate transactions, so concurrent attempts may overshoot the limit by a few.
#include "tally/domain/login_throttle.hpp"

#include "mno/util/iso8601.hpp"
#include "tally/domain/user.hpp"
#include "tally/store/login_failure_store.hpp"

namespace tally {
namespace {
constexpr const char* kEmail = "email";
constexpr const char* kIp = "ip";
}  // namespace

LoginThrottle::LoginThrottle(mno::db::Database& db, const mno::Clock& clock, ThrottlePolicy policy)
    : db_(db), clock_(clock), policy_(policy) {}

mno::Result<std::optional<int64_t>> LoginThrottle::wait_for(const std::string& scope, const std::string& subject,
                                                            int limit) {
  const mno::TimePoint now = clock_.now();
  const std::string since = mno::format_iso8601(now - policy_.window);
  return db_.transact(
      [&](mno::db::Connection& tx) -> mno::Result<std::optional<int64_t>> {
        auto n = store::count_login_failures_since(tx, scope, subject, since);
        if (!n.ok()) return n.error();
        if (*n < limit) return std::optional<int64_t>{};
        auto t = store::nth_login_failure_since(tx, scope, subject, since, *n - limit);
        if (!t.ok()) return t.error();
        if (!*t) return std::optional<int64_t>{};
        auto at = mno::parse_iso8601(**t);
        if (!at.ok()) return at.error();
        auto wait = std::chrono::duration_cast<std::chrono::seconds>(*at + policy_.window - now).count();
        return std::optional<int64_t>{wait < 1 ? 1 : wait};
      },
      mno::db::TxKind::read);
}

mno::Status LoginThrottle::check(const std::string& email, const std::string& remote_ip) {
  std::optional<int64_t> wait;
  auto by_email = wait_for(kEmail, normalize_email(email), policy_.max_per_email);
  if (!by_email.ok()) return by_email.error();
  wait = *by_email;
  if (!remote_ip.empty()) {
    auto by_ip = wait_for(kIp, remote_ip, policy_.max_per_ip);
    if (!by_ip.ok()) return by_ip.error();
    if (*by_ip && (!wait || **by_ip > *wait)) wait = *by_ip;
  }
  if (!wait) return {};
  const int64_t minutes = (*wait + 59) / 60;
  auto e = mno::make_error("auth.throttled", "Too many failed login attempts; try again in " +
                                                 std::to_string(minutes) + (minutes == 1 ? " minute." : " minutes."));
  e.fields["retry_after"] = std::to_string(*wait);
  return e;
}

mno::Status LoginThrottle::record_failure(const std::string& email, const std::string& remote_ip) {
  const mno::TimePoint now = clock_.now();
  const std::string at = mno::format_iso8601(now);
  const std::string expired = mno::format_iso8601(now - policy_.window);
  const std::string subject = normalize_email(email);
  return db_.transaction([&](mno::db::Connection& tx) -> mno::Status {
    // Pruning the subject's expired rows here keeps the table bounded by what the window holds.
    if (auto r = store::delete_login_failures_before(tx, expired, kEmail, subject); !r.ok()) return r.error();
    if (auto s = store::insert_login_failure(tx, kEmail, subject, at); !s.ok()) return s;
    if (remote_ip.empty()) return {};
    if (auto r = store::delete_login_failures_before(tx, expired, kIp, remote_ip); !r.ok()) return r.error();
    return store::insert_login_failure(tx, kIp, remote_ip, at);
  });
}

mno::Status LoginThrottle::clear_email(const std::string& email) {
  auto r = db_.transact(
      [&](mno::db::Connection& tx) { return store::delete_login_failures_of(tx, kEmail, normalize_email(email)); });
  if (!r.ok()) return r.error();
  return {};
}

mno::Result<int64_t> LoginThrottle::purge_expired() {
  const std::string before = mno::format_iso8601(clock_.now() - policy_.window);
  return db_.transact([&](mno::db::Connection& tx) { return store::delete_login_failures_before(tx, before); });
}

std::optional<int64_t> retry_after_seconds(const mno::Error& error) {
  if (error.code != "auth.throttled") return std::nullopt;
  auto it = error.fields.find("retry_after");
  if (it == error.fields.end()) return std::nullopt;
  try {
    return std::stoll(it->second);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace tally
