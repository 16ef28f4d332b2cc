// Migrations on both backends: applied once and in order, re-run is a no-op, a failed migration
// leaves nothing behind, a newer schema is refused, and concurrent migrators do not collide.
#include <gtest/gtest.h>

#include <thread>

#include "mno/db/migrations.hpp"
#include "support/test_database.hpp"
#include "unit/db/expect_ok.hpp"

namespace db = mno::db;

namespace {

std::vector<db::Migration> base_migrations() {
  // Given out of order on purpose: migrate() sorts by version.
  return {
      {2, "seed accounts", "INSERT INTO accounts (name) VALUES ('first');", ""},
      {1, "create accounts", "CREATE TABLE accounts (name TEXT NOT NULL);", ""},
      {3, "create invoices",
       "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total BIGINT NOT NULL);"
       "CREATE INDEX invoices_total ON invoices (total);",
       "CREATE TABLE invoices (id BIGINT PRIMARY KEY, total BIGINT NOT NULL);"
       "CREATE INDEX invoices_total ON invoices (total);"},
  };
}

int64_t count(db::Database& d, const std::string& table) {
  auto rows = d.query("SELECT COUNT(*) FROM " + table);
  EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().message);
  return rows.ok() ? (*rows)[0].i64(0) : -1;
}

}  // namespace

class DbMigrations : public testenv::DatabaseTest {};

TEST_P(DbMigrations, FreshDatabaseIsVersionZero) {
  auto v = db::schema_version(database());
  ASSERT_OK(v);
  EXPECT_EQ(*v, 0);
}

TEST_P(DbMigrations, AppliesInOrderOnceAndRerunIsNoOp) {
  auto& d = database();
  ASSERT_OK(db::migrate(d, base_migrations()));
  auto v = db::schema_version(d);
  ASSERT_OK(v);
  EXPECT_EQ(*v, 3);
  EXPECT_EQ(count(d, "accounts"), 1);
  EXPECT_EQ(count(d, "schema_migrations"), 3);

  ASSERT_OK(db::migrate(d, base_migrations()));
  EXPECT_EQ(count(d, "accounts"), 1);  // the seed did not run again
  EXPECT_EQ(count(d, "schema_migrations"), 3);

  auto names = d.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_OK(names);
  ASSERT_EQ(names->size(), 3u);
  EXPECT_EQ((*names)[0].text("name"), "create accounts");
  EXPECT_FALSE((*names)[2].text("applied_at").empty());
}

TEST_P(DbMigrations, NewMigrationsAreAppliedLater) {
  auto& d = database();
  auto first_two = base_migrations();
  first_two.pop_back();
  ASSERT_OK(db::migrate(d, first_two));
  EXPECT_EQ(*db::schema_version(d), 2);
  ASSERT_OK(db::migrate(d, base_migrations()));
  EXPECT_EQ(*db::schema_version(d), 3);
  ASSERT_OK(d.execute("INSERT INTO invoices (id, total) VALUES ($1, $2)", {1, 100}));
}

TEST_P(DbMigrations, FailedMigrationLeavesNoTrace) {
  auto& d = database();
  ASSERT_OK(db::migrate(d, base_migrations()));
  auto broken = base_migrations();
  broken.push_back({4, "half done", "CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);", ""});
  auto s = db::migrate(d, broken);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "db.sql");
  EXPECT_NE(s.error().message.find("migration 4 (half done)"), std::string::npos) << s.error().message;
  EXPECT_EQ(*db::schema_version(d), 3);
  EXPECT_FALSE(d.query("SELECT COUNT(*) FROM half").ok());  // the CREATE TABLE was rolled back
}

TEST_P(DbMigrations, RefusesSchemaNewerThanCode) {
  auto& d = database();
  auto newer = base_migrations();
  newer.push_back({4, "from the future", "CREATE TABLE future (x INTEGER);", ""});
  ASSERT_OK(db::migrate(d, newer));
  auto s = db::migrate(d, base_migrations());
  EXPECT_ERROR_CODE(s, "db.schema_too_new");
  EXPECT_NE(s.error().message.find("version 4"), std::string::npos) << s.error().message;
}

TEST_P(DbMigrations, RejectsInvalidVersions) {
  EXPECT_ERROR_CODE(db::migrate(database(), {{1, "a", "SELECT 1;", ""}, {1, "b", "SELECT 1;", ""}}),
                    "db.migration_invalid");
  EXPECT_ERROR_CODE(db::migrate(database(), {{0, "zero", "SELECT 1;", ""}}), "db.migration_invalid");
}

TEST_P(DbMigrations, UsesPostgresOverride) {
  auto& d = database();
  ASSERT_OK(db::migrate(d, {{1, "dialect", "CREATE TABLE which (v TEXT); INSERT INTO which VALUES ('portable');",
                             "CREATE TABLE which (v TEXT); INSERT INTO which VALUES ('postgres');"}}));
  auto rows = d.query("SELECT v FROM which");
  ASSERT_OK(rows);
  EXPECT_EQ((*rows)[0].text(0), is_postgres() ? "postgres" : "portable");
}

TEST_P(DbMigrations, ConcurrentMigratorsAreSafe) {
  // Two Database objects on the same database stand for two processes starting at once.
  auto other = db::open_database(database_url());
  ASSERT_OK(other);
  std::vector<db::Database*> targets{&database(), other->get(), &database(), other->get()};
  std::vector<mno::Status> results(targets.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < targets.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = db::migrate(*targets[i], base_migrations()); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) ASSERT_OK(r);
  EXPECT_EQ(*db::schema_version(database()), 3);
  EXPECT_EQ(count(database(), "accounts"), 1);
  EXPECT_EQ(count(database(), "schema_migrations"), 3);
}

TALLY_INSTANTIATE_DATABASE_TESTS(DbMigrations);
