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

mno::Result<std::optional<int64_t>> window_wait(mno::db::Database& db, mno::TimePoint now, const std::string& scope,
                                                const std::string& subject, int limit, std::chrono::seconds window) {
  const std::string since = mno::format_iso8601(now - window);
  return db.transact(
      [&](mno::db::Connection& tx) -> mno::Result<std::optional<int64_t>> {
        auto n = store::count_login_failures_since(tx, scope, subject, since);
        if (!n.ok()) return n.error();
        if (*n < limit) return std::optional<int64_t>{};
        auto t = store::nth_login_failure_since(tx, scope, subject, since, *n - limit);
        if (!t.ok()) return t.error();
        if (!*t) return std::optional<int64_t>{};
        auto at = mno::parse_iso8601(**t);
        if (!at.ok()) return at.error();
        auto wait = std::chrono::duration_cast<std::chrono::seconds>(*at + window - now).count();
        return std::optional<int64_t>{wait < 1 ? 1 : wait};
      },
      mno::db::TxKind::read);
}

mno::Status record_window_event(mno::db::Connection& tx, mno::TimePoint now, const std::string& scope,
                                const std::string& subject, std::chrono::seconds window) {
  // Pruning the subject's expired rows here keeps the table bounded by what the window holds.
  if (auto r = store::delete_login_failures_before(tx, mno::format_iso8601(now - window), scope, subject); !r.ok())
    return r.error();
  return store::insert_login_failure(tx, scope, subject, mno::format_iso8601(now));
}

mno::Status LoginThrottle::check(const std::string& email, const std::string& remote_ip) {
  std::optional<int64_t> wait;
  const mno::TimePoint now = clock_.now();
  auto by_email = window_wait(db_, now, kEmail, normalize_email(email), policy_.max_per_email, policy_.window);
  if (!by_email.ok()) return by_email.error();
  wait = *by_email;
  if (!remote_ip.empty()) {
    auto by_ip = window_wait(db_, now, kIp, remote_ip, policy_.max_per_ip, policy_.window);
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
  return db_.transaction([&](mno::db::Connection& tx) -> mno::Status {
    if (auto s = record_window_event(tx, now, kEmail, normalize_email(email), policy_.window); !s.ok()) return s;
    if (remote_ip.empty()) return {};
    return record_window_event(tx, now, kIp, remote_ip, policy_.window);
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
  if (error.code != "auth.throttled" && error.code != "sso.rate_limited") return std::nullopt;
  auto it = error.fields.find("retry_after");
  if (it == error.fields.end()) return std::nullopt;
  try {
    return std::stoll(it->second);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace tally
