// The outbox sink: exactly one outbox row per committed change of a shared record, none when the change rolls
// back, none for changes applied from Connec! (origin connec), none for a company without a marketplace group.
#include "tally_sync_fixture.hpp"

namespace tallysync {
namespace {

class OutboxSinkTest : public SyncTest {};

TEST_P(OutboxSinkTest, OneRowPerCommittedChangeOfASharingCompany) {
  auto co = company("Acme", "cld-1");
  auto x = services->customers.create(co, customer_named("Globex"));
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(outbox_rows(co), 1);
  auto rows = mno::sync::list_outbox(database(), {std::to_string(co), {}, 10});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].entity, "customer");
  EXPECT_EQ((*rows)[0].local_id, std::to_string(x->id));
  EXPECT_EQ((*rows)[0].operation, "create");
  auto p = services->products.create(co, product_named("Widget", "10"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(outbox_rows(co), 2);
}

TEST_P(OutboxSinkTest, NothingWhenTheChangeRollsBack) {
  auto co = company("Acme", "cld-1");
  auto r = database().transaction([&](mno::db::Connection& c) -> mno::Status {
    auto x = services->customers.create(c, co, customer_named("Globex"), tally::ChangeOrigin::local);
    if (!x) return x.error();
    return mno::make_error("test.abort", "roll back");
  });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(outbox_rows(co), 0);
  auto list = services->customers.list(co, {});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 0);
}

TEST_P(OutboxSinkTest, NothingForOriginConnec) {
  auto co = company("Acme", "cld-1");
  ASSERT_TRUE(services->customers.create(co, customer_named("Globex"), tally::ChangeOrigin::connec).ok());
  EXPECT_EQ(outbox_rows(), 0);
}

TEST_P(OutboxSinkTest, NothingForACompanyWithoutGroup) {
  auto co = company("Solo", "");
  ASSERT_TRUE(services->customers.create(co, customer_named("Globex")).ok());
  EXPECT_EQ(outbox_rows(), 0);
}

TEST_P(OutboxSinkTest, UpdatesOfOnePendingRecordCoalesce) {
  auto co = company("Acme", "cld-1");
  auto x = services->customers.create(co, customer_named("Globex"));
  ASSERT_TRUE(x.ok());
  auto y = services->customers.update(co, x->id, x->version, customer_named("Globex 2"));
  ASSERT_TRUE(y.ok());
  // Still one unsent row for the record; the dispatcher sends the latest state once.
  EXPECT_EQ(outbox_rows(co), 1);
  drain_all(1);
  ASSERT_EQ(connec->record_count(), 1u);
  EXPECT_EQ(connec->records().begin()->second["name"], "Globex 2");
}

TALLY_INSTANTIATE_DATABASE_TESTS(OutboxSinkTest);

}  // namespace
}  // namespace tallysync
