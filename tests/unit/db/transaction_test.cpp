// Transaction semantics on both backends: commit on ok, rollback on an error value or an exception,
// constraint violations as db.constraint, nested transactions refused, read transactions read-only.
#include <gtest/gtest.h>

#include <stdexcept>

#include "mno/db/database.hpp"
#include "support/test_database.hpp"
#include "unit/db/expect_ok.hpp"

namespace db = mno::db;

class DbTransaction : public testenv::DatabaseTest {
 protected:
  void SetUp() override {
    testenv::DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_OK(database().execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, "
                                 "CONSTRAINT users_email_unique UNIQUE (email))"));
  }
  int64_t count_users() {
    auto rows = database().query("SELECT COUNT(*) FROM users");
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].i64(0) : -1;
  }
};

TEST_P(DbTransaction, CommitsWhenFunctionSucceeds) {
  auto id = database().transact([](db::Connection& c) -> mno::Result<int64_t> {
    auto a = c.execute("INSERT INTO users (id, email) VALUES ($1, $2)", {1, "a@example.com"});
    if (!a.ok()) return a.error();
    auto b = c.execute("INSERT INTO users (id, email) VALUES ($1, $2)", {2, "b@example.com"});
    if (!b.ok()) return b.error();
    return int64_t{2};
  });
  ASSERT_OK(id);
  EXPECT_EQ(*id, 2);
  EXPECT_EQ(count_users(), 2);
}

TEST_P(DbTransaction, RollsBackOnErrorValue) {
  mno::Status s = database().transaction([](db::Connection& c) -> mno::Status {
    auto a = c.execute("INSERT INTO users (id, email) VALUES ($1, $2)", {1, "a@example.com"});
    if (!a.ok()) return a.error();
    return mno::make_error("test.abort", "changed my mind");
  });
  EXPECT_ERROR_CODE(s, "test.abort");
  EXPECT_EQ(count_users(), 0);
}

TEST_P(DbTransaction, RollsBackOnException) {
  mno::Status s = database().transaction([](db::Connection& c) -> mno::Status {
    auto a = c.execute("INSERT INTO users (id, email) VALUES ($1, $2)", {1, "a@example.com"});
    if (!a.ok()) return a.error();
    throw std::runtime_error("boom");
  });
  EXPECT_ERROR_CODE(s, "db.exception");
  EXPECT_NE(s.error().message.find("boom"), std::string::npos);
  EXPECT_EQ(count_users(), 0);
  // The connection is usable afterwards.
  ASSERT_OK(database().execute("INSERT INTO users (id, email) VALUES ($1, $2)", {1, "a@example.com"}));
  EXPECT_EQ(count_users(), 1);
}

TEST_P(DbTransaction, UniqueViolationIsConstraintErrorNamingIt) {
  ASSERT_OK(database().execute("INSERT INTO users (id, email) VALUES ($1, $2)", {1, "a@example.com"}));
  auto dup = database().execute("INSERT INTO users (id, email) VALUES ($1, $2)", {2, "a@example.com"});
  EXPECT_ERROR_CODE(dup, "db.constraint");
  // PostgreSQL names the constraint, SQLite the column it covers.
  const auto& msg = dup.error().message;
  EXPECT_TRUE(msg.find("users_email_unique") != std::string::npos || msg.find("users.email") != std::string::npos)
      << msg;
  EXPECT_EQ(count_users(), 1);
}

TEST_P(DbTransaction, ForeignKeysAreEnforced) {
  ASSERT_OK(database().execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id))"));
  EXPECT_ERROR_CODE(database().execute("INSERT INTO notes (id, user_id) VALUES ($1, $2)", {1, 99}), "db.constraint");
}

TEST_P(DbTransaction, NestedTransactionIsRefused) {
  auto& d = database();
  mno::Status s = d.transaction([&](db::Connection&) -> mno::Status {
    return d.transaction([](db::Connection&) -> mno::Status { return {}; });
  });
  EXPECT_ERROR_CODE(s, "db.nested");
}

TEST_P(DbTransaction, ReadTransactionSeesCommittedDataAndCannotWrite) {
  ASSERT_OK(database().execute("INSERT INTO users (id, email) VALUES ($1, $2)", {1, "a@example.com"}));
  auto n = database().transact(
      [](db::Connection& c) -> mno::Result<int64_t> {
        auto rows = c.query("SELECT email FROM users WHERE id = $1", {1});
        if (!rows.ok()) return rows.error();
        return static_cast<int64_t>(rows->size());
      },
      db::TxKind::read);
  ASSERT_OK(n);
  EXPECT_EQ(*n, 1);
  mno::Status w = database().transaction(
      [](db::Connection& c) -> mno::Status {
        auto r = c.execute("DELETE FROM users");
        if (!r.ok()) return r.error();
        return {};
      },
      db::TxKind::read);
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(count_users(), 1);
}

TEST_P(DbTransaction, ConnectionReportsItsDialect) {
  auto dialect = database().transact(
      [](db::Connection& c) -> mno::Result<db::Dialect> { return c.dialect(); }, db::TxKind::read);
  ASSERT_OK(dialect);
  EXPECT_EQ(*dialect, database().dialect());
  EXPECT_EQ(database().dialect(), is_postgres() ? db::Dialect::postgres : db::Dialect::sqlite);
}

TALLY_INSTANTIATE_DATABASE_TESTS(DbTransaction);

class DbReconnect : public testenv::DatabaseTest {};

TEST_P(DbReconnect, PostgresReconnectsAfterTheServerDropsTheConnection) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite has no server connection to lose";
  db::DatabaseOptions one;
  one.pool_size = 1;
  auto d = db::open_database(database_url(), one);
  ASSERT_OK(d);
  auto pid = (*d)->query("SELECT pg_backend_pid() AS pid");
  ASSERT_OK(pid);
  // The timeout makes it wait until the backend is gone, so the next query really finds it dead.
  auto killed = database().query("SELECT pg_terminate_backend($1::int, 5000) AS ok", {(*pid)[0].i64("pid")});
  ASSERT_OK(killed);
  ASSERT_EQ((*killed)[0].i64("ok"), 1);
  auto again = (*d)->query("SELECT pg_backend_pid() AS pid");
  ASSERT_OK(again);
  EXPECT_NE((*again)[0].i64("pid"), (*pid)[0].i64("pid"));
}

TALLY_INSTANTIATE_DATABASE_TESTS(DbReconnect);
