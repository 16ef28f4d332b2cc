// Shared fixture for the records tests: a migrated database per test (SQLite and PostgreSQL),
// companies inserted directly (independent of the tenancy services), a ManualClock, and a sink
// that records change events in a table on the change's own transaction, so only committed
// events remain, and that can be told to fail.
#pragma once
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "mno/db/migrations.hpp"
#include "mno/util/clock.hpp"
#include "support/test_database.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/contact.hpp"
#include "tally/domain/customer.hpp"
#include "tally/domain/invoice.hpp"
#include "tally/domain/product.hpp"
#include "tally/store/schema.hpp"

#define ASSERT_OK(expr)                                                                              \
  do {                                                                                               \
    const auto& r_ = (expr);                                                                         \
    ASSERT_TRUE(r_.ok()) << #expr << " failed: " << r_.error().code << ": " << r_.error().message; \
  } while (0)

#define EXPECT_ERROR_CODE(expr, expected_code)                                   \
  do {                                                                           \
    const auto& r_ = (expr);                                                     \
    ASSERT_FALSE(r_.ok()) << #expr << " unexpectedly succeeded";                 \
    EXPECT_EQ(r_.error().code, expected_code) << r_.error().message;             \
  } while (0)

// Expects validation.failed with `field` carrying `message`.
#define EXPECT_FIELD_ERROR(expr, field_name, expected_message)                                      \
  do {                                                                                                 \
    const auto& r_ = (expr);                                                                           \
    ASSERT_FALSE(r_.ok()) << #expr << " unexpectedly succeeded";                                       \
    EXPECT_EQ(r_.error().code, "validation.failed") << r_.error().message;                             \
    auto it_ = r_.error().fields.find(field_name);                                                     \
    ASSERT_NE(it_, r_.error().fields.end()) << "no error on " << field_name << ": " << r_.error().message; \
    EXPECT_EQ(it_->second, expected_message);                                                          \
  } while (0)

namespace records_test {

struct RecordedEvent {
  int64_t company_id;
  std::string entity;
  int64_t record_id;
  std::string kind;
  int64_t version;
  std::string origin;
};

class RecordingSink final : public tally::ChangeSink {
 public:
  std::atomic<bool> fail{false};
  mno::Status on_change(mno::db::Connection& tx, const tally::ChangeEvent& e) override {
    if (fail) return mno::make_error("test.sink_failed", "the sink refused the event");
    auto r = tx.execute(
        "INSERT INTO test_events (company_id, entity, record_id, kind, version, origin) VALUES ($1,$2,$3,$4,$5,$6)",
        {e.company_id, e.entity, e.record_id, std::string(tally::to_string(e.kind)), e.version,
         e.origin == tally::ChangeOrigin::local ? "local" : "connec"});
    if (!r) return r.error();
    return {};
  }
};

class RecordsTest : public testenv::DatabaseTest {
 protected:
  void SetUp() override;

  mno::db::Database& db() { return database(); }
  int64_t add_company(const std::string& name, const std::string& currency = "EUR");
  std::vector<RecordedEvent> events();

  // Quick creators for tests about something else; they fail the test on error.
  tally::Customer customer(int64_t company, const std::string& name, const std::string& code = "");
  tally::Contact contact(int64_t company, const std::string& first, const std::string& last,
                         std::optional<int64_t> customer_id = std::nullopt);
  tally::Product product(int64_t company, const std::string& name, const std::string& price,
                         const std::string& tax = "");
  tally::Invoice invoice(int64_t company, int64_t customer_id, std::vector<tally::InvoiceLineInput> lines,
                         const std::string& issue_date = "");

  mno::ManualClock clock_{mno::TimePoint{std::chrono::seconds{1'800'000'000}}};  // 2027-01-15 08:00:00 UTC
  RecordingSink sink_;
  int64_t company_a_ = 0, company_b_ = 0;
};

tally::InvoiceLineInput line(const std::string& description, const std::string& quantity,
                             const std::string& unit_price, const std::string& tax_rate = "");

}  // namespace records_test
