// PostgreSQL backend on libpq: a pool of up to pool_size connections, each with its own cache of
// server-side prepared statements. Parameters go as text with int8/float8 types for numbers and
// server-inferred types for strings, so the same "$1" SQL works as on SQLite; bytea parameters and
// columns are converted so blobs round-trip as raw bytes. Result columns are decoded by type OID.
#include <libpq-fe.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "mno/db/backends.hpp"

namespace mno::db::detail {

namespace {

// Type OIDs from pg_type.h (stable across versions; the server headers are not a build dependency).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool connection_sqlstate(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

Error result_error(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string state = st ? st : "";
  std::string msg = trim(res ? PQresultErrorMessage(res) : "");
  if (msg.empty()) msg = trim(PQerrorMessage(conn));
  std::string code = "db.sql";
  if (state == "40001" || state == "40P01") {
    code = "db.conflict";
  } else if (state.starts_with("23")) {
    code = "db.constraint";
    if (const char* c = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME)) msg += " (constraint " + std::string(c) + ")";
  } else if (state == "55P03") {
    code = "db.busy";
  } else if (connection_sqlstate(state) || (state.empty() && PQstatus(conn) == CONNECTION_BAD)) {
    code = "db.connection";
  }
  if (!sql.empty()) msg += " [" + sql_excerpt(sql) + "]";
  return make_error(code, "postgresql: " + msg);
}

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string hex_decode_bytea(const char* s, size_t n) {
  std::string out;
  if (n < 2 || s[0] != '\\' || s[1] != 'x') return std::string(s, n);  // bytea_output=escape: left as is
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  out.reserve((n - 2) / 2);
  for (size_t i = 2; i + 1 < n; i += 2) out.push_back(static_cast<char>(nibble(s[i]) << 4 | nibble(s[i + 1])));
  return out;
}

Value decode(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return nullptr;
  const char* s = PQgetvalue(res, row, col);
  size_t n = static_cast<size_t>(PQgetlength(res, row, col));
  switch (PQftype(res, col)) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: return static_cast<int64_t>(std::strtoll(s, nullptr, 10));
    case kFloat4:
    case kFloat8:
    case kNumeric: return std::strtod(s, nullptr);
    case kBool: return int64_t{s[0] == 't' ? 1 : 0};
    case kBytea: return hex_decode_bytea(s, n);
    default: return std::string(s, n);
  }
}

void ignore_notice(void*, const char*) {}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) { PQsetNoticeProcessor(conn_, ignore_notice, nullptr); }
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Dialect dialect() const override { return Dialect::postgres; }

  Result<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) override {
    auto res = run(sql, params);
    if (!res.ok()) return res.error();
    const PGresult* r = res->get();
    int nrows = PQntuples(r), ncols = PQnfields(r);
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int c = 0; c < ncols; ++c) columns->emplace_back(PQfname(r, c));
    std::vector<Row> rows;
    rows.reserve(static_cast<size_t>(nrows));
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) values.push_back(decode(r, i, c));
      rows.emplace_back(columns, std::move(values));
    }
    return rows;
  }

  Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params) override {
    auto res = run(sql, params);
    if (!res.ok()) return res.error();
    const char* n = PQcmdTuples(res->get());
    return static_cast<int64_t>(n && *n ? std::strtoll(n, nullptr, 10) : 0);
  }

  Status execute_script(std::string_view sql) override {
    std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()), &PQclear);
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
      return result_error(conn_, res.get(), sql);
    }
    return {};
  }

  Status exec_simple(const char* sql) { return execute_script(sql); }

  bool broken() const { return PQstatus(conn_) == CONNECTION_BAD; }
  PGTransactionStatusType tx_status() const { return PQtransactionStatus(conn_); }

  // Reconnects with the same parameters; server-side prepared statements are gone afterwards.
  bool reset() {
    cache_.clear();
    stale_.clear();
    PQreset(conn_);
    if (broken()) return false;
    PQsetClientEncoding(conn_, "UTF8");
    return true;
  }

  // Statements invalidated inside a transaction can only be deallocated once it has ended.
  void drop_stale() {
    for (const auto& name : stale_) {
      ResultPtr r(PQexec(conn_, ("DEALLOCATE " + name).c_str()), &PQclear);
    }
    stale_.clear();
  }

 private:
  struct Prepared {
    std::string name;
    std::vector<Oid> types;  // as the server resolved them
  };

  static char type_tag(const Value& v) {
    if (std::holds_alternative<int64_t>(v)) return 'i';
    if (std::holds_alternative<double>(v)) return 'd';
    return 'u';
  }

  Result<const Prepared*> prepare(std::string_view sql, const std::vector<Value>& params) {
    // The same SQL with an int in one call and NULL in another needs different declared types.
    std::string key(sql);
    key.push_back('\x01');
    for (const auto& p : params) key.push_back(type_tag(p));
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;

    std::vector<Oid> declared;
    for (const auto& p : params) declared.push_back(type_tag(p) == 'i' ? kInt8 : type_tag(p) == 'd' ? kFloat8 : 0);
    std::string name = "mno_" + std::to_string(++next_id_);
    std::string text(sql);
    ResultPtr res(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(declared.size()), declared.data()),
                  &PQclear);
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return result_error(conn_, res.get(), sql);
    ResultPtr desc(PQdescribePrepared(conn_, name.c_str()), &PQclear);
    if (PQresultStatus(desc.get()) != PGRES_COMMAND_OK) return result_error(conn_, desc.get(), sql);
    Prepared p{name, {}};
    for (int i = 0; i < PQnparams(desc.get()); ++i) p.types.push_back(PQparamtype(desc.get(), i));
    return &cache_.emplace(std::move(key), std::move(p)).first->second;
  }

  Result<ResultPtr> run(std::string_view sql, const std::vector<Value>& params) {
    auto prepared = prepare(sql, params);
    if (!prepared.ok()) return prepared.error();
    const Prepared& p = **prepared;
    // Checked here because the server reports a Bind count mismatch as a protocol violation (08P01).
    if (p.types.size() != params.size()) {
      return make_error("db.sql", "postgresql: statement uses " + std::to_string(p.types.size()) + " parameters but " +
                                      std::to_string(params.size()) + " were given [" + sql_excerpt(sql) + "]");
    }

    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      Oid type = i < p.types.size() ? p.types[i] : 0;
      if (auto x = std::get_if<int64_t>(&v)) {
        text[i] = std::to_string(*x);
      } else if (auto x = std::get_if<double>(&v)) {
        text[i] = fmt::format("{}", *x);
      } else if (auto x = std::get_if<std::string>(&v)) {
        text[i] = *x;
        if (type == kBytea) formats[i] = 1;  // binary bytea is the raw bytes: no escaping, NULs allowed
      } else {
        continue;  // SQL NULL
      }
      values[i] = text[i].c_str();
      lengths[i] = static_cast<int>(text[i].size());
    }
    ResultPtr res(PQexecPrepared(conn_, p.name.c_str(), static_cast<int>(params.size()), values.data(),
                                 lengths.data(), formats.data(), 0),
                  &PQclear);
    auto st = PQresultStatus(res.get());
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return res;
    Error e = result_error(conn_, res.get(), sql);
    const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
    if (state && std::string_view(state) == "0A000" && e.message.find("cached plan") != std::string::npos) {
      // The schema changed under a cached statement: forget it and let the transaction retry.
      stale_.push_back(p.name);
      cache_.erase(std::find_if(cache_.begin(), cache_.end(), [&](auto& kv) { return kv.second.name == p.name; }));
      e.code = "db.conflict";
    }
    return e;
  }

  PGconn* conn_;
  std::unordered_map<std::string, Prepared> cache_;
  std::vector<std::string> stale_;
  int64_t next_id_ = 0;
};

Result<std::unique_ptr<PgConnection>> connect(const std::string& url) {
  PGconn* raw = PQconnectdb(url.c_str());
  if (!raw) return make_error("db.connection", "postgresql: out of memory while connecting");
  auto conn = std::make_unique<PgConnection>(raw);
  if (PQstatus(raw) != CONNECTION_OK) {
    return make_error("db.connection",
                      "postgresql: cannot connect to " + redact_url(url) + ": " + trim(PQerrorMessage(raw)));
  }
  PQsetClientEncoding(raw, "UTF8");
  return conn;
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, DatabaseOptions options, std::unique_ptr<PgConnection> first)
      : Database(options), url_(std::move(url)) {
    idle_.push_back(std::move(first));
    open_ = 1;
  }

  Dialect dialect() const override { return Dialect::postgres; }

 protected:
  Status run_once(const std::function<Status(Connection&)>& fn, TxKind kind) override {
    auto acquired = acquire();
    if (!acquired.ok()) return acquired.error();
    std::unique_ptr<PgConnection> c = std::move(*acquired);
    Status s = run_on(*c, fn, kind);
    release(std::move(c));
    return s;
  }

 private:
  static Status run_on(PgConnection& c, const std::function<Status(Connection&)>& fn, TxKind kind) {
    const char* begin = kind == TxKind::read ? "BEGIN READ ONLY" : "BEGIN";
    Status b = c.exec_simple(begin);
    // An idle pooled connection may have been cut (server restart, network): reconnect once, since
    // nothing has run in this transaction yet.
    if (!b.ok() && c.broken() && c.reset()) b = c.exec_simple(begin);
    if (!b.ok()) return b;
    Status r = fn(c);
    if (r.ok() && c.tx_status() == PQTRANS_INERROR) {
      r = make_error("db.sql", "postgresql: transaction aborted by an earlier failed statement");
    }
    if (r.ok()) r = c.exec_simple("COMMIT");
    if (!r.ok() && !c.broken() && c.tx_status() != PQTRANS_IDLE) (void)c.exec_simple("ROLLBACK");
    if (!c.broken()) c.drop_stale();
    return r;
  }

  Result<std::unique_ptr<PgConnection>> acquire() {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < options().pool_size; });
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
      ++open_;
    }
    auto c = connect(url_);
    if (!c.ok()) {
      std::lock_guard lock(mu_);
      --open_;
      cv_.notify_one();
    }
    return c;
  }

  void release(std::unique_ptr<PgConnection> c) {
    if (c->broken() && !c->reset()) c.reset();  // reconnect outside the lock: it can take a while
    std::lock_guard lock(mu_);
    if (c) {
      idle_.push_back(std::move(c));
    } else {
      --open_;  // dropped; the next acquire opens a fresh one
    }
    cv_.notify_one();
  }

  std::string url_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;
};

}  // namespace

Result<std::shared_ptr<Database>> open_postgres(const std::string& url, const DatabaseOptions& options) {
  // Parse first so that a malformed URL is reported as such, not as a connection failure.
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? trim(err) : "invalid connection string";
    if (err) PQfreemem(err);
    return make_error("db.url", "postgresql: invalid URL " + redact_url(url) + ": " + msg);
  }
  PQconninfoFree(opts);
  auto first = connect(url);
  if (!first.ok()) return first.error();
  return std::shared_ptr<Database>(std::make_shared<PostgresDatabase>(url, options, std::move(*first)));
}

}  // namespace mno::db::detail
