// Storage tests against every backend: a fresh, isolated database per test, on SQLite (a new file) and
// on PostgreSQL (a new schema in the TALLY_TEST_PG_URL database, selected through search_path) when
// that is configured. Without PostgreSQL the postgresql variants are skipped, or fail when
// TALLY_REQUIRE_PG=1. Typical use:
//
//   class InvoiceStoreTest : public testenv::DatabaseTest {};
//   TEST_P(InvoiceStoreTest, Saves) { auto& db = database(); ... }
//   TALLY_INSTANTIATE_DATABASE_TESTS(InvoiceStoreTest);
//   // = INSTANTIATE_TEST_SUITE_P(Backends, InvoiceStoreTest,
//   //       ::testing::ValuesIn(testenv::database_kinds()), testenv::DatabaseKindName{})
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mno/db/database.hpp"
#include "support/test_env.hpp"

namespace testenv {

struct TestDatabase {
  std::string url;  // open it again (a second process's view of the same database): open_database(url)
  std::shared_ptr<mno::db::Database> db;  // nullptr when the kind is not available
  std::string error;                      // why db is nullptr ("" when simply not configured)
};

// kind is "sqlite" or "postgresql". The PostgreSQL schema is dropped when the returned db is destroyed.
TestDatabase create_test_database(const std::string& kind, mno::db::DatabaseOptions options = {});
// Just the database; nullptr when not available (see create_test_database for why).
std::shared_ptr<mno::db::Database> open_test_database(const std::string& kind, mno::db::DatabaseOptions options = {});

// Fixture parameterised by the database kind. SetUp opens database(); it skips (or fails when
// PostgreSQL is required) if the kind is not available. Override options() for custom options.
class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  virtual mno::db::DatabaseOptions options() const { return {}; }
  mno::db::Database& database() { return *test_db_.db; }
  std::shared_ptr<mno::db::Database> database_ptr() { return test_db_.db; }
  const std::string& database_url() const { return test_db_.url; }
  const std::string& kind() const { return GetParam(); }
  bool is_postgres() const { return GetParam() == "postgresql"; }

  TestDatabase test_db_;
};

// Test name suffix: ".../sqlite", ".../postgresql".
struct DatabaseKindName {
  std::string operator()(const ::testing::TestParamInfo<std::string>& info) const { return info.param; }
};

}  // namespace testenv

#define TALLY_INSTANTIATE_DATABASE_TESTS(Fixture)                                            \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture, ::testing::ValuesIn(::testenv::database_kinds()), \
                           ::testenv::DatabaseKindName{})
