// See test_database.hpp. PostgreSQL isolation uses one schema per test rather than one database per
// test: CREATE SCHEMA costs milliseconds where CREATE DATABASE costs a template copy.
#include "support/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <mutex>

#include "mno/util/random.hpp"

namespace testenv {

namespace {

// One small admin connection per test process, to create and drop the per-test schemas.
std::shared_ptr<mno::db::Database> admin_database(std::string& error) {
  static std::mutex mu;
  static std::shared_ptr<mno::db::Database> admin;
  std::lock_guard lock(mu);
  if (!admin) {
    mno::db::DatabaseOptions o;
    o.pool_size = 1;
    auto db = mno::db::open_database(postgres_url(), o);
    if (!db.ok()) {
      error = db.error().code + ": " + db.error().message;
      return nullptr;
    }
    admin = *db;
  }
  return admin;
}

std::string with_search_path(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

}  // namespace

TestDatabase create_test_database(const std::string& kind, mno::db::DatabaseOptions options) {
  TestDatabase out;
  if (kind == "sqlite") {
    out.url = "sqlite:" + temp_dir("db") + "/test.db";
    auto db = mno::db::open_database(out.url, options);
    if (!db.ok()) {
      out.error = db.error().code + ": " + db.error().message;
    } else {
      out.db = *db;
    }
    return out;
  }
  if (kind != "postgresql") {
    out.error = "unknown database kind '" + kind + "'";
    return out;
  }
  if (postgres_url().empty()) return out;
  auto admin = admin_database(out.error);
  if (!admin) return out;

  static std::atomic<int> counter{0};
  std::string schema = "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                       mno::SecureRandom::instance().hex_token(4);
  if (auto s = admin->execute("CREATE SCHEMA " + schema); !s.ok()) {
    out.error = "cannot create test schema: " + s.error().message;
    return out;
  }
  out.url = with_search_path(postgres_url(), schema);
  auto db = mno::db::open_database(out.url, options);
  if (!db.ok()) {
    out.error = db.error().code + ": " + db.error().message;
    return out;
  }
  std::shared_ptr<mno::db::Database> inner = *db;
  // Close the test's connections first, then drop its schema so the test cluster stays small.
  out.db = std::shared_ptr<mno::db::Database>(inner.get(), [inner, admin, schema](mno::db::Database*) mutable {
    inner.reset();
    (void)admin->execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  });
  return out;
}

std::shared_ptr<mno::db::Database> open_test_database(const std::string& kind, mno::db::DatabaseOptions options) {
  return create_test_database(kind, options).db;
}

void DatabaseTest::SetUp() {
  test_db_ = create_test_database(GetParam(), options());
  if (test_db_.db) return;
  if (!test_db_.error.empty()) {
    FAIL() << "cannot open the " << GetParam() << " test database: " << test_db_.error;
  }
  if (postgres_required()) {
    FAIL() << "PostgreSQL is required (TALLY_REQUIRE_PG=1) but TALLY_TEST_PG_URL is not set; "
              "start one with scripts/pg-test-cluster start DIR";
  }
  GTEST_SKIP() << "PostgreSQL not configured (set TALLY_TEST_PG_URL, e.g. from scripts/pg-test-cluster)";
}

}  // namespace testenv
