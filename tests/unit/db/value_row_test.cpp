// Backend-independent pieces of mno::db: Value conversions, Row accessors, URL redaction, dialect
// fragments and open_database's URL errors (which must never leak a password).
#include <gtest/gtest.h>

#include "mno/db/database.hpp"
#include "support/test_env.hpp"

namespace db = mno::db;

TEST(DbValue, ConvertsFromCommonTypes) {
  EXPECT_EQ(std::get<int64_t>(db::Value(42)), 42);
  EXPECT_EQ(std::get<int64_t>(db::Value(42L)), 42);
  EXPECT_EQ(std::get<int64_t>(db::Value(uint16_t{7})), 7);
  EXPECT_EQ(std::get<int64_t>(db::Value(true)), 1);
  EXPECT_EQ(std::get<int64_t>(db::Value(false)), 0);
  EXPECT_EQ(std::get<double>(db::Value(1.5f)), 1.5);
  EXPECT_EQ(std::get<std::string>(db::Value("abc")), "abc");
  EXPECT_EQ(std::get<std::string>(db::Value(std::string_view("sv"))), "sv");
  EXPECT_TRUE(db::Value(static_cast<const char*>(nullptr)).is_null());
  EXPECT_TRUE(db::Value(std::optional<int>{}).is_null());
  EXPECT_EQ(std::get<int64_t>(db::Value(std::optional<int>{3})), 3);
  EXPECT_EQ(std::get<std::string>(db::Value(std::optional<std::string>{"x"})), "x");
  EXPECT_TRUE(db::Value(std::nullopt).is_null());
  EXPECT_TRUE(db::Value().is_null());
  EXPECT_EQ(db::to_debug_string(db::Value("x")), "'x'");
  EXPECT_EQ(db::to_debug_string(db::Value()), "NULL");
}

TEST(DbRow, AccessByIndexAndName) {
  auto cols = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"id", "name", "score", "gone"});
  db::Row row(cols, {db::Value(7), db::Value("ann"), db::Value(2.5), db::Value()});
  EXPECT_EQ(row.i64(0), 7);
  EXPECT_EQ(row.i64("id"), 7);
  EXPECT_EQ(row.text("name"), "ann");
  EXPECT_DOUBLE_EQ(row.f64("score"), 2.5);
  EXPECT_DOUBLE_EQ(row.f64("id"), 7.0);
  EXPECT_TRUE(row.is_null("gone"));
  EXPECT_EQ(row.opt_text("gone"), std::nullopt);
  EXPECT_EQ(row.opt_i64("id"), 7);
  EXPECT_TRUE(row.flag("id"));
  EXPECT_THROW((void)row.i64("gone"), std::logic_error);
  EXPECT_THROW((void)row.i64("missing"), std::out_of_range);
  EXPECT_THROW((void)row.at(9), std::out_of_range);
}

TEST(DbUrl, RedactsPasswords) {
  EXPECT_EQ(db::redact_url("postgresql://bob:s3cret@db:5432/app"), "postgresql://bob:***@db:5432/app");
  EXPECT_EQ(db::redact_url("postgresql://bob@db/app?password=s3cret&sslmode=require"),
            "postgresql://bob@db/app?password=***&sslmode=require");
  EXPECT_EQ(db::redact_url("postgresql://db/app"), "postgresql://db/app");
  EXPECT_EQ(db::redact_url("sqlite:/tmp/a.db"), "sqlite:/tmp/a.db");
}

TEST(DbDialect, PortabilityFragments) {
  EXPECT_EQ(db::skip_locked(db::Dialect::postgres), " FOR UPDATE SKIP LOCKED");
  EXPECT_EQ(db::skip_locked(db::Dialect::sqlite), "");
  EXPECT_EQ(db::autoincrement_primary_key(db::Dialect::sqlite), "INTEGER PRIMARY KEY");
  EXPECT_EQ(db::dialect_name(db::Dialect::postgres), "postgresql");
}

TEST(DbOpen, UnknownSchemeIsAUrlError) {
  auto r = db::open_database("mysql://root:hunter2@localhost/app");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "db.url");
  EXPECT_NE(r.error().message.find("mysql://"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("hunter2"), std::string::npos) << r.error().message;

  auto empty = db::open_database("sqlite:");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "db.url");
}

TEST(DbOpen, MalformedPostgresUrlIsAUrlError) {
  auto r = db::open_database("postgresql://u:pw@127.0.0.1/db?no_such_option=1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "db.url") << r.error().message;
  EXPECT_EQ(r.error().message.find(":pw@"), std::string::npos) << r.error().message;
}

TEST(DbOpen, UnreachablePostgresIsAConnectionErrorWithoutPassword) {
  auto port = testenv::free_port();  // nothing listens there
  auto r = db::open_database("postgresql://tally:topsecret@127.0.0.1:" + std::to_string(port) + "/app?connect_timeout=2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "db.connection");
  EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("topsecret"), std::string::npos) << r.error().message;
}

TEST(DbOpen, SqliteInMissingDirectoryIsAConnectionError) {
  auto r = db::open_database("sqlite:" + testenv::temp_dir("db-missing") + "/no/such/dir/x.db");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "db.connection") << r.error().message;
}

TEST(DbOpen, SqliteInMemoryWorksForReadsAndWrites) {
  auto r = db::open_database("sqlite::memory:");
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto& d = **r;
  ASSERT_TRUE(d.execute("CREATE TABLE t (x INTEGER)").ok());
  ASSERT_TRUE(d.execute("INSERT INTO t (x) VALUES ($1)", {5}).ok());
  auto rows = d.query("SELECT x FROM t");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].i64("x"), 5);
}
