// Shared fixture for the tenancy tests: a fresh migrated database per test (SQLite and
// PostgreSQL), a ManualClock, a fast password hasher, and a ChangeSink that writes each event to a
// table in the same transaction, so the tests count only events that were committed.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "mno/db/migrations.hpp"
#include "mno/util/clock.hpp"
#include "support/test_database.hpp"
#include "tally/domain/account_service.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/password_hasher.hpp"
#include "tally/store/schema.hpp"

#define ASSERT_OK(expr)                                                                                  \
  do {                                                                                                   \
    const auto& r_ = (expr);                                                                             \
    ASSERT_TRUE(r_.ok()) << #expr << " failed: " << r_.error().code << ": " << r_.error().message;       \
  } while (0)

#define EXPECT_ERROR_CODE(expr, expected_code)                                   \
  do {                                                                           \
    const auto& r_ = (expr);                                                     \
    ASSERT_FALSE(r_.ok()) << #expr << " unexpectedly succeeded";                 \
    EXPECT_EQ(r_.error().code, expected_code) << r_.error().message;             \
  } while (0)

namespace tenancy_test {

// Writes every event into test_change_events inside the change's transaction; fail_next makes the
// next call fail (which must roll the change back).
class RecordingSink final : public tally::ChangeSink {
 public:
  bool fail_next = false;
  mno::Status on_change(mno::db::Connection& tx, const tally::ChangeEvent& e) override {
    if (fail_next) {
      fail_next = false;
      return mno::make_error("sink.failed", "the test sink refused the event");
    }
    auto r = tx.execute(
        "INSERT INTO test_change_events (company_id, entity, record_id, kind, version) VALUES ($1, $2, $3, $4, $5)",
        {e.company_id, e.entity, e.record_id, tally::to_string(e.kind), e.version});
    if (!r.ok()) return r.error();
    return {};
  }
};

inline const tally::PasswordHasher& fast_hasher() {
  static const tally::PasswordHasher h(tally::PasswordHashLimits::minimum());
  return h;
}

class TenancyTest : public testenv::DatabaseTest {
 protected:
  void SetUp() override {
    testenv::DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_OK(mno::db::migrate(database(), tally::schema_migrations()));
    ASSERT_OK(database().execute(
        "CREATE TABLE test_change_events (company_id BIGINT NOT NULL, entity TEXT NOT NULL, record_id BIGINT NOT NULL,"
        " kind TEXT NOT NULL, version BIGINT NOT NULL)"));
  }

  tally::AccountService accounts(tally::ThrottlePolicy policy = {}) {
    return tally::AccountService(database(), clock, sink, fast_hasher(), policy);
  }

  int64_t committed_events(const std::string& entity = "company") {
    auto r = database().query("SELECT COUNT(*) AS n FROM test_change_events WHERE entity = $1", {entity});
    EXPECT_TRUE(r.ok());
    return r.ok() ? (*r)[0].i64("n") : -1;
  }

  static tally::SignUpInput signup(const std::string& email, const std::string& company = "Acme") {
    return {email, "correct horse battery", "Ada", "Lovelace", company, "EUR", "Europe/Paris", "FR"};
  }

  // Signs up and returns {user_id, company_id}.
  std::pair<int64_t, int64_t> make_account(const std::string& email, const std::string& company = "Acme") {
    auto r = accounts().sign_up(signup(email, company));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    if (!r.ok()) return {0, 0};
    return {r->user.id, r->company.id};
  }

  mno::ManualClock clock;
  RecordingSink sink;
};

}  // namespace tenancy_test
