// SQLite backend: one writer connection behind a mutex (SQLite allows one writer anyway, and
// BEGIN IMMEDIATE makes the write lock explicit up front instead of failing on upgrade), plus a
// pool of query_only reader connections that read concurrently thanks to WAL.
#include <sqlite3.h>

#include <cctype>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "mno/db/backends.hpp"

namespace mno::db::detail {

namespace {

Error sqlite_error(sqlite3* db, int rc, std::string_view sql) {
  int primary = rc & 0xff;
  std::string code = "db.sql";
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    code = "db.busy";
  } else if (primary == SQLITE_CONSTRAINT) {
    code = "db.constraint";
  } else if (primary == SQLITE_CANTOPEN || primary == SQLITE_NOTADB || primary == SQLITE_IOERR ||
             primary == SQLITE_CORRUPT || primary == SQLITE_FULL) {
    code = "db.connection";
  }
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!sql.empty()) msg += " [" + sql_excerpt(sql) + "]";
  return make_error(code, "sqlite: " + msg);
}

bool only_space_or_semicolons(const char* p, const char* end) {
  for (; p < end; ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') return false;
  }
  return true;
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) override {
    std::vector<Row> rows;
    auto s = run(sql, params, &rows);
    if (!s.ok()) return s.error();
    return rows;
  }

  Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params) override {
    auto s = run(sql, params, nullptr);
    if (!s.ok()) return s.error();
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status execute_script(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
    return {};
  }

  // BEGIN/COMMIT/ROLLBACK and pragmas, outside the statement cache.
  Status exec_simple(const char* sql) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
    return {};
  }

  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    // A program has a bounded set of statements; the cap only protects against generated SQL.
    if (cache_.size() >= 512) {
      for (auto& [s, stmt] : cache_) sqlite3_finalize(stmt);
      cache_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
    if (!stmt) return make_error("db.sql", "sqlite: empty statement");
    if (tail && !only_space_or_semicolons(tail, key.data() + key.size())) {
      sqlite3_finalize(stmt);
      return make_error("db.sql", "sqlite: more than one statement; use execute_script [" + sql_excerpt(sql) + "]");
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  // Binds by name so that "$2 ... $1 ... $2" works the same as on PostgreSQL.
  Status bind(sqlite3_stmt* stmt, const std::vector<Value>& params, std::string_view sql) {
    int n = sqlite3_bind_parameter_count(stmt);
    for (int idx = 1; idx <= n; ++idx) {
      const char* name = sqlite3_bind_parameter_name(stmt, idx);
      size_t k = static_cast<size_t>(idx);
      if (name) {
        if ((name[0] != '$' && name[0] != '?') || !std::isdigit(static_cast<unsigned char>(name[1]))) {
          return make_error("db.sql", std::string("sqlite: unsupported placeholder ") + name + ", use $1, $2, ... [" +
                                          sql_excerpt(sql) + "]");
        }
        k = std::stoul(name + 1);
      }
      if (k < 1 || k > params.size()) {
        return make_error("db.sql", "sqlite: statement uses parameter $" + std::to_string(k) + " but " +
                                        std::to_string(params.size()) + " were given [" + sql_excerpt(sql) + "]");
      }
      const Value& v = params[k - 1];
      int rc = SQLITE_OK;
      if (auto p = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *p);
      } else if (auto p = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, idx, *p);
      } else if (auto p = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, idx, p->data(), p->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, idx);
      }
      if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
    }
    return {};
  }

  Status run(std::string_view sql, const std::vector<Value>& params, std::vector<Row>* rows) {
    auto prepared = prepare(sql);
    if (!prepared.ok()) return prepared.error();
    sqlite3_stmt* stmt = *prepared;
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (auto b = bind(stmt, params, sql); !b.ok()) return b;

    std::shared_ptr<std::vector<std::string>> columns;
    int ncol = sqlite3_column_count(stmt);
    if (rows) {
      auto cols = std::make_shared<std::vector<std::string>>();
      for (int i = 0; i < ncol; ++i) cols->emplace_back(sqlite3_column_name(stmt, i));
      columns = std::move(cols);
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlite_error(db_, rc, sql);
      if (!rows) continue;  // execute() of a RETURNING statement: run it to completion
      std::vector<Value> values;
      values.reserve(ncol);
      for (int i = 0; i < ncol; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER: values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, i))); break;
          case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, i)); break;
          case SQLITE_TEXT: {
            auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            values.emplace_back(std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
            break;
          }
          case SQLITE_BLOB: {
            auto p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
            auto n = static_cast<size_t>(sqlite3_column_bytes(stmt, i));
            values.emplace_back(p ? std::string(p, n) : std::string());
            break;
          }
          default: values.emplace_back(nullptr); break;
        }
      }
      rows->emplace_back(columns, std::move(values));
    }
    return {};
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<std::unique_ptr<SqliteConnection>> connect(const std::string& path, bool in_memory, bool reader,
                                                  const DatabaseOptions& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(in_memory ? ":memory:" : path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    return make_error("db.connection", "sqlite: cannot open '" + path + "': " + msg);
  }
  auto conn = std::make_unique<SqliteConnection>(raw);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  std::string pragmas = "PRAGMA foreign_keys=ON;";
  if (!in_memory) {
    // The writer's page cache (32 MB, default 2 MB) holds the queues' hot indexes: with the default one a
    // large sync backlog spent its time refetching and freeing pages.
    pragmas += reader ? "PRAGMA query_only=ON;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;";
  }
  if (auto s = conn->exec_simple(pragmas.c_str()); !s.ok()) {
    return make_error("db.connection", "sqlite: cannot configure '" + path + "': " + s.error().message);
  }
  return conn;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, bool in_memory, DatabaseOptions options, std::unique_ptr<SqliteConnection> writer)
      : Database(options), path_(std::move(path)), in_memory_(in_memory), writer_(std::move(writer)) {}

  Dialect dialect() const override { return Dialect::sqlite; }

 protected:
  Status run_once(const std::function<Status(Connection&)>& fn, TxKind kind) override {
    // An in-memory database is private to its one connection, so it reads through the writer too.
    if (kind == TxKind::write || in_memory_) {
      std::lock_guard lock(writer_mu_);
      return run_on(*writer_, fn, kind == TxKind::write ? "BEGIN IMMEDIATE" : "BEGIN");
    }
    auto reader = acquire_reader();
    if (!reader.ok()) return reader.error();
    Status s = run_on(**reader, fn, "BEGIN");
    release_reader(std::move(*reader));
    return s;
  }

 private:
  static Status run_on(SqliteConnection& c, const std::function<Status(Connection&)>& fn, const char* begin) {
    if (auto s = c.exec_simple(begin); !s.ok()) return s;
    Status r = fn(c);
    if (r.ok()) r = c.exec_simple("COMMIT");
    if (!r.ok() && c.in_transaction()) (void)c.exec_simple("ROLLBACK");
    return r;
  }

  Result<std::unique_ptr<SqliteConnection>> acquire_reader() {
    {
      std::unique_lock lock(readers_mu_);
      readers_cv_.wait(lock, [&] { return !idle_readers_.empty() || readers_open_ < options().pool_size; });
      if (!idle_readers_.empty()) {
        auto c = std::move(idle_readers_.back());
        idle_readers_.pop_back();
        return c;
      }
      ++readers_open_;
    }
    auto c = connect(path_, false, true, options());
    if (!c.ok()) {
      std::lock_guard lock(readers_mu_);
      --readers_open_;
      readers_cv_.notify_one();
    }
    return c;
  }

  void release_reader(std::unique_ptr<SqliteConnection> c) {
    std::lock_guard lock(readers_mu_);
    idle_readers_.push_back(std::move(c));
    readers_cv_.notify_one();
  }

  std::string path_;
  bool in_memory_;
  std::mutex writer_mu_;
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  int readers_open_ = 0;
};

}  // namespace

Result<std::shared_ptr<Database>> open_sqlite(const std::string& path, bool in_memory, const DatabaseOptions& options) {
  auto writer = connect(path, in_memory, false, options);
  if (!writer.ok()) return writer.error();
  return std::shared_ptr<Database>(
      std::make_shared<SqliteDatabase>(in_memory ? ":memory:" : path, in_memory, options, std::move(*writer)));
}

}  // namespace mno::db::detail
