// Values go in and come back unchanged on both backends: every Value type, NULL, unicode, int64
// limits, blobs with NUL bytes; $n placeholders out of order and reused; RETURNING.
#include <gtest/gtest.h>

#include <limits>

#include "mno/db/database.hpp"
#include "support/test_database.hpp"
#include "unit/db/expect_ok.hpp"

namespace db = mno::db;

class DbRoundTrip : public testenv::DatabaseTest {};

TEST_P(DbRoundTrip, EveryValueTypeThroughATable) {
  auto& d = database();
  ASSERT_OK(d.execute("CREATE TABLE t (k INTEGER, i BIGINT, f DOUBLE PRECISION, s TEXT, n TEXT)"));
  const std::string unicode = "Grüße, 日本語, emoji 🎉, RTL עברית";
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t small = std::numeric_limits<int64_t>::min();
  ASSERT_OK(d.execute("INSERT INTO t (k, i, f, s, n) VALUES ($1, $2, $3, $4, $5)", {1, big, 0.1, unicode, nullptr}));
  ASSERT_OK(d.execute("INSERT INTO t (k, i, f, s, n) VALUES ($1, $2, $3, $4, $5)", {2, small, -1e300, "", "x"}));

  auto rows = d.query("SELECT k, i, f, s, n FROM t ORDER BY k");
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 2u);
  const auto& a = (*rows)[0];
  EXPECT_EQ(a.i64("i"), big);
  EXPECT_TRUE(std::holds_alternative<int64_t>(a.at("i")));
  EXPECT_TRUE(std::holds_alternative<double>(a.at("f")));
  EXPECT_EQ(a.f64("f"), 0.1);
  EXPECT_EQ(a.text("s"), unicode);
  EXPECT_TRUE(a.is_null("n"));
  EXPECT_EQ(a.opt_text("n"), std::nullopt);
  const auto& b = (*rows)[1];
  EXPECT_EQ(b.i64("i"), small);
  EXPECT_EQ(b.f64("f"), -1e300);
  EXPECT_EQ(b.text("s"), "");
  EXPECT_FALSE(b.is_null("s"));
  EXPECT_EQ(b.opt_text("n"), "x");
  EXPECT_EQ(a.columns(), (std::vector<std::string>{"k", "i", "f", "s", "n"}));
}

TEST_P(DbRoundTrip, ParametersSelectedDirectlyKeepTheirTypes) {
  auto rows = database().query("SELECT $1 AS i, $2 AS f, $3 AS s, $4 AS n", {int64_t{-42}, 2.5, "héllo", nullptr});
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  const auto& r = (*rows)[0];
  EXPECT_EQ(r.at("i"), db::Value(-42));
  EXPECT_EQ(r.at("f"), db::Value(2.5));
  EXPECT_EQ(r.at("s"), db::Value("héllo"));
  EXPECT_TRUE(r.is_null("n"));
}

TEST_P(DbRoundTrip, BlobsWithNulAndHighBytes) {
  auto& d = database();
  ASSERT_OK(d.execute("CREATE TABLE b (id INTEGER, data " + std::string(db::blob_type(d.dialect())) + ")"));
  std::string bytes("\x00\x01\xff\xfe\\x'\"\n", 9);
  ASSERT_OK(d.execute("INSERT INTO b (id, data) VALUES ($1, $2)", {1, bytes}));
  auto rows = d.query("SELECT data FROM b WHERE id = $1", {1});
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text(0), bytes);
}

TEST_P(DbRoundTrip, PlaceholdersOutOfOrderAndReused) {
  auto& d = database();
  ASSERT_OK(d.execute("CREATE TABLE p (a TEXT, b TEXT, c TEXT, n INTEGER)"));
  ASSERT_OK(d.execute("INSERT INTO p (c, a, b, n) VALUES ($2, $1, $2, $3)", {"first", "second", 3}));
  auto rows = d.query("SELECT a, b, c FROM p WHERE (b = $1 OR c = $1) AND n = $2", {"second", 3});
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].text("a"), "first");
  EXPECT_EQ((*rows)[0].text("b"), "second");
  EXPECT_EQ((*rows)[0].text("c"), "second");
}

TEST_P(DbRoundTrip, SameStatementWithNullThenValue) {
  // The prepared-statement cache must cope with one SQL text seeing different parameter kinds.
  auto& d = database();
  ASSERT_OK(d.execute("CREATE TABLE o (x BIGINT)"));
  ASSERT_OK(d.execute("INSERT INTO o (x) VALUES ($1)", {nullptr}));
  ASSERT_OK(d.execute("INSERT INTO o (x) VALUES ($1)", {7}));
  ASSERT_OK(d.execute("INSERT INTO o (x) VALUES ($1)", {std::optional<int64_t>{}}));
  auto rows = d.query("SELECT COUNT(*) AS total, COUNT(x) AS set_ FROM o");
  ASSERT_OK(rows);
  EXPECT_EQ((*rows)[0].i64("total"), 3);
  EXPECT_EQ((*rows)[0].i64("set_"), 1);
}

TEST_P(DbRoundTrip, ReturningIdAndRowsAffected) {
  auto& d = database();
  ASSERT_OK(d.execute("CREATE TABLE items (id " + std::string(db::autoincrement_primary_key(d.dialect())) +
                      ", name TEXT NOT NULL)"));
  auto first = d.transact([](db::Connection& c) -> mno::Result<int64_t> {
    auto row = c.query_one("INSERT INTO items (name) VALUES ($1) RETURNING id", {"a"});
    if (!row.ok()) return row.error();
    return (*row)->i64("id");
  });
  ASSERT_OK(first);
  auto second = d.query("INSERT INTO items (name) VALUES ($1) RETURNING id, name", {"b"});
  // A read transaction refuses writes on both backends; RETURNING inserts belong in write transactions.
  EXPECT_FALSE(second.ok());
  auto third = d.transact<std::vector<db::Row>>(
      [](db::Connection& c) { return c.query("INSERT INTO items (name) VALUES ($1) RETURNING id, name", {"b"}); });
  ASSERT_OK(third);
  ASSERT_EQ(third->size(), 1u);
  EXPECT_GT((*third)[0].i64("id"), *first);
  EXPECT_EQ((*third)[0].text("name"), "b");

  auto affected = d.execute("UPDATE items SET name = name || $1", {"!"});
  ASSERT_OK(affected);
  EXPECT_EQ(*affected, 2);
  auto none = d.execute("DELETE FROM items WHERE id = $1", {-1});
  ASSERT_OK(none);
  EXPECT_EQ(*none, 0);
}

TEST_P(DbRoundTrip, SqlErrorsAreReportedAsDbSql) {
  auto& d = database();
  EXPECT_ERROR_CODE(d.query("SELEC 1"), "db.sql");
  EXPECT_ERROR_CODE(d.query("SELECT * FROM no_such_table"), "db.sql");
  EXPECT_ERROR_CODE(d.query("SELECT $1 AS a, $2 AS b", {1}), "db.sql");  // missing parameter
}

TALLY_INSTANTIATE_DATABASE_TESTS(DbRoundTrip);
