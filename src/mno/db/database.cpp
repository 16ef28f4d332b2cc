// Database: the transaction/retry policy shared by both backends, and open_database's URL dispatch.
// Backends only know how to run one attempt (run_once); retrying on contention lives here once.
#include "mno/db/database.hpp"

#include <algorithm>
#include <thread>

#include "mno/db/backends.hpp"
#include "mno/util/log.hpp"

namespace mno::db {

namespace {

bool is_retriable(const Error& e) { return e.code == "db.busy" || e.code == "db.conflict"; }

// Databases with a transaction open on this thread: a nested transact() would deadlock on SQLite's
// writer mutex or silently run on a second connection on PostgreSQL, so it is refused instead.
thread_local std::vector<const Database*> t_active;

struct ActiveGuard {
  explicit ActiveGuard(const Database* db) : db_(db) { t_active.push_back(db); }
  ~ActiveGuard() { t_active.erase(std::find(t_active.begin(), t_active.end(), db_)); }
  const Database* db_;
};

}  // namespace

Result<std::optional<Row>> Connection::query_one(std::string_view sql, const std::vector<Value>& params) {
  auto rows = query(sql, params);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<Row>{};
  return std::optional<Row>{std::move(rows->front())};
}

Database::Database(DatabaseOptions options) : options_(options) {
  options_.pool_size = std::max(1, options_.pool_size);
  options_.max_retries = std::max(0, options_.max_retries);
}

int64_t Database::retry_count() const { return retries_.load(); }

Status Database::transaction(std::function<Status(Connection&)> fn, TxKind kind) {
  if (std::find(t_active.begin(), t_active.end(), this) != t_active.end()) {
    return make_error("db.nested", "transaction started inside another transaction on the same database");
  }
  ActiveGuard guard(this);
  auto guarded = [&fn](Connection& c) -> Status {
    try {
      return fn(c);
    } catch (const std::exception& e) {
      return make_error("db.exception", std::string("transaction function threw: ") + e.what());
    } catch (...) {
      return make_error("db.exception", "transaction function threw a non-standard exception");
    }
  };
  Random& random = options_.random ? *options_.random : SecureRandom::instance();
  for (int attempt = 0;; ++attempt) {
    Status s = run_once(guarded, kind);
    if (s.ok() || !is_retriable(s.error()) || attempt >= options_.max_retries) return s;
    ++retries_;
    // Exponential backoff with full jitter so that colliding writers spread out instead of
    // colliding again in lockstep.
    auto cap = std::min<int64_t>(int64_t{5} << std::min(attempt, 6), 200);
    auto delay = std::chrono::milliseconds(cap / 2 + static_cast<int64_t>(random.uniform(cap / 2 + 1)));
    log::debug("db.retry", {{"code", s.error().code}, {"attempt", std::to_string(attempt + 1)},
                            {"delay_ms", std::to_string(delay.count())}});
    std::this_thread::sleep_for(delay);
  }
}

Result<std::vector<Row>> Database::query(std::string_view sql, const std::vector<Value>& params) {
  return transact<std::vector<Row>>([&](Connection& c) { return c.query(sql, params); }, TxKind::read);
}

Result<int64_t> Database::execute(std::string_view sql, const std::vector<Value>& params) {
  return transact<int64_t>([&](Connection& c) { return c.execute(sql, params); }, TxKind::write);
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  // user:password@ in the authority part.
  auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    auto start = scheme + 3;
    auto end = out.find_first_of("/?#", start);
    if (end == std::string::npos) end = out.size();
    auto at = out.rfind('@', end);
    if (at != std::string::npos && at > start) {
      auto colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... as a query parameter or conninfo keyword.
  for (size_t pos = 0; (pos = out.find("password=", pos)) != std::string::npos;) {
    auto vstart = pos + 9;
    auto vend = out.find_first_of("& ", vstart);
    if (vend == std::string::npos) vend = out.size();
    out.replace(vstart, vend - vstart, "***");
    pos = vstart + 3;
  }
  return out;
}

Result<std::shared_ptr<Database>> open_database(const std::string& url, DatabaseOptions options) {
  if (url.starts_with("sqlite:")) {
    std::string rest = url.substr(7);
    if (rest == ":memory:") return detail::open_sqlite("", true, options);
    if (rest.starts_with("//")) rest = rest.substr(2);  // sqlite:///abs/path
    if (rest.empty()) return make_error("db.url", "sqlite URL has no path: expected sqlite:PATH or sqlite::memory:");
    return detail::open_sqlite(rest, false, options);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return detail::open_postgres(url, options);
  }
  return make_error("db.url", "unsupported database URL '" + redact_url(url) +
                                  "': expected sqlite:PATH, sqlite::memory: or postgresql://...");
}

namespace detail {
std::string sql_excerpt(std::string_view sql) {
  std::string s(sql.substr(0, 160));
  std::replace(s.begin(), s.end(), '\n', ' ');
  return sql.size() > 160 ? s + "..." : s;
}
}  // namespace detail

}  // namespace mno::db
