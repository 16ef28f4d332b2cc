// Storage access for libmno and Tally: one API over SQLite and PostgreSQL.
// A Database hands out a Connection only inside a transaction (transact / transaction), which
// commits on success, rolls back on an error value or an exception, and retries the whole unit of
// work when the backend reports contention (SQLite busy/locked, PostgreSQL serialization failure
// or deadlock). Error codes (stable):
//   db.busy        SQLite busy/locked after busy_timeout (retried; returned when retries run out)
//   db.conflict    PostgreSQL serialization_failure / deadlock_detected (retried likewise)
//   db.constraint  unique / foreign key / check / not-null violation; the message names the constraint
//   db.connection  cannot connect, or the connection broke
//   db.sql         syntax error, unknown table, wrong parameter count, type mismatch, ...
//   db.url         unknown scheme or malformed database URL
//   db.exception   the transaction function threw (the transaction was rolled back)
//   db.nested      transact() called from inside a transaction on the same Database and thread
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>
#include "mno/db/dialect.hpp"
#include "mno/db/row.hpp"
#include "mno/db/value.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace mno::db {

// A backend connection, valid only inside the transaction function it was passed to.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Result<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Returns the number of rows affected.
  virtual Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Several statements separated by ';', no parameters (migrations).
  virtual Status execute_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;

  // Convenience: the first row, or std::nullopt when the query returned none.
  Result<std::optional<Row>> query_one(std::string_view sql, const std::vector<Value>& params = {});
};

enum class TxKind { read, write };

struct DatabaseOptions {
  int pool_size = 4;                              // PostgreSQL connections / SQLite reader connections
  std::chrono::milliseconds busy_timeout{5000};  // SQLite: how long one statement waits for a lock
  int max_retries = 8;                            // extra attempts after busy/conflict
  Random* random = nullptr;                       // backoff jitter; nullptr = SecureRandom::instance()
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs fn inside one transaction; see the file comment. fn may run several times (retries), so it
  // must not have side effects outside the database, and should return db errors unchanged so
  // that busy/conflict are recognised. Write transactions on SQLite use BEGIN IMMEDIATE on the one
  // writer connection; read transactions use a reader (query_only) connection. On PostgreSQL every
  // transaction is READ COMMITTED unless fn starts with SET TRANSACTION ISOLATION LEVEL ....
  // Do not call transact() on the same Database from inside fn (db.nested).
  template <class T>
  Result<T> transact(std::function<Result<T>(Connection&)> fn, TxKind kind = TxKind::write);
  // Same, deducing T from a lambda returning Result<T>: db.transact([&](db::Connection& c) -> Result<int64_t> {...}).
  template <class F>
    requires std::is_invocable_v<F&, Connection&>
  auto transact(F&& fn, TxKind kind = TxKind::write) {
    using R = std::invoke_result_t<F&, Connection&>;
    return transact_deduced(std::function<R(Connection&)>(std::forward<F>(fn)), kind);
  }
  Status transaction(std::function<Status(Connection&)> fn, TxKind kind = TxKind::write);

  // One statement in its own transaction (query: read, execute: write), with the same retries.
  // A read transaction refuses writes, so INSERT ... RETURNING belongs in transact(), not query().
  Result<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params = {});
  Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params = {});

  // How many times a transaction was retried since open (observability, tests).
  int64_t retry_count() const;

 protected:
  explicit Database(DatabaseOptions options);
  // Runs fn exactly once inside BEGIN ... COMMIT/ROLLBACK on a suitable connection. fn never throws
  // (the base class catches). Returns fn's error, or the backend's error from BEGIN/COMMIT.
  virtual Status run_once(const std::function<Status(Connection&)>& fn, TxKind kind) = 0;
  const DatabaseOptions& options() const { return options_; }

 private:
  template <class T>
  Result<T> transact_deduced(std::function<Result<T>(Connection&)> fn, TxKind kind) {
    return transact<T>(std::move(fn), kind);
  }
  Status transact_deduced(std::function<Status(Connection&)> fn, TxKind kind) {
    return transaction(std::move(fn), kind);
  }

  DatabaseOptions options_;
  std::atomic<int64_t> retries_{0};
};

template <class T>
Result<T> Database::transact(std::function<Result<T>(Connection&)> fn, TxKind kind) {
  std::optional<T> out;
  Status s = transaction(
      [&](Connection& c) -> Status {
        out.reset();
        Result<T> r = fn(c);
        if (!r.ok()) return r.error();
        out.emplace(std::move(r).value());
        return {};
      },
      kind);
  if (!s.ok()) return s.error();
  return std::move(*out);
}

// URL forms:
//   sqlite:PATH                 a file (created when missing); sqlite:///abs/path also accepted
//   sqlite::memory:             a private in-memory database (one shared connection)
//   postgresql://... postgres://...   anything libpq accepts, e.g.
//                               postgresql://user@127.0.0.1:5432/db?host=/tmp/sock&connect_timeout=5
// Unknown scheme → db.url; unreachable server → db.connection (the password is never echoed).
Result<std::shared_ptr<Database>> open_database(const std::string& url, DatabaseOptions options = {});

// The URL with any password replaced by "***", for logs and error messages.
std::string redact_url(std::string_view url);

}  // namespace mno::db
