// Outbox storage on SQLite and PostgreSQL: enqueue coalescing and echo avoidance, exactly-once claims under
// concurrent claimers, lease expiry and fencing, per-record order, coalescing of rows that raced past enqueue.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "mno/sync/id_map.hpp"
#include "mno/sync/outbox.hpp"
#include "sync_fixture.hpp"

namespace {

using namespace mno::sync;
using synctest::SyncTest;

class OutboxTest : public SyncTest {};

TEST_P(OutboxTest, EnqueueCoalescesPendingChangesOfOneRecord) {
  auto a = enqueue("t1", "7", R"({"name":"A"})", "create");
  auto b = enqueue("t1", "7", R"({"name":"B"})", "update");
  auto c = enqueue("t1", "7", R"({"name":"C"})", "update");
  auto other = enqueue("t1", "8", R"({"name":"X"})");
  SYNC_ASSERT_OK(a);
  SYNC_ASSERT_OK(c);
  EXPECT_EQ(**a, **b);
  EXPECT_EQ(**a, **c);
  EXPECT_NE(**a, **other);
  auto rows = list_outbox(database(), {});
  SYNC_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].payload, R"({"name":"C"})");
  EXPECT_EQ((*rows)[0].operation, "create");
  EXPECT_EQ((*rows)[0].coalesced, 2);
}

TEST_P(OutboxTest, InboundOriginEnqueuesNothing) {
  auto r = enqueue("t1", "7", "{}", "update", Origin::connec);
  SYNC_ASSERT_OK(r);
  EXPECT_FALSE(r->has_value());
  auto n = count_outbox(database());
  SYNC_ASSERT_OK(n);
  EXPECT_EQ(n->pending, 0);
}

TEST_P(OutboxTest, ConcurrentClaimersGetEachRowExactlyOnce) {
  constexpr int kRows = 200;
  for (int i = 0; i < kRows; ++i) SYNC_ASSERT_OK(enqueue("t1", std::to_string(i), "{}"));
  std::mutex mu;
  std::multiset<int64_t> seen;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      // A second Database per worker: separate connections, as separate processes would have.
      auto db = mno::db::open_database(database_url());
      if (!db) {
        ++errors;
        return;
      }
      for (;;) {
        auto items = claim(**db, {"w" + std::to_string(w), std::chrono::seconds(60), 7}, clock_.now());
        if (!items) {
          ++errors;
          return;
        }
        if (items->empty()) return;
        std::lock_guard l(mu);
        for (auto& it : *items) seen.insert(it.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), static_cast<size_t>(kRows));
}

TEST_P(OutboxTest, ExpiredLeaseLetsAnotherWorkerTakeAStuckRowAndFencesTheFirst) {
  SYNC_ASSERT_OK(enqueue("t1", "7", "{}"));
  auto a = claim(database(), {"A", std::chrono::seconds(30), 10}, clock_.now());
  SYNC_ASSERT_OK(a);
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].attempts, 1);
  clock_.advance(std::chrono::seconds(29));
  auto b = claim(database(), {"B", std::chrono::seconds(30), 10}, clock_.now());
  SYNC_ASSERT_OK(b);
  EXPECT_TRUE(b->empty());
  clock_.advance(std::chrono::seconds(2));
  b = claim(database(), {"B", std::chrono::seconds(30), 10}, clock_.now());
  SYNC_ASSERT_OK(b);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].attempts, 2);
  EXPECT_EQ((*b)[0].lease_owner, "B");
  // A wakes up late: its outcome must not land.
  auto late = database().transact([&](mno::db::Connection& c) { return mark_done(c, (*a)[0], "uuid-x", clock_.now()); });
  SYNC_ASSERT_OK(late);
  EXPECT_FALSE(*late);
  auto ok = database().transact([&](mno::db::Connection& c) { return mark_done(c, (*b)[0], "uuid-y", clock_.now()); });
  SYNC_ASSERT_OK(ok);
  EXPECT_TRUE(*ok);
}

TEST_P(OutboxTest, OneInFlightPerRecordAndOrderKept) {
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"v":1})"));
  auto first = claim(database(), {"A", std::chrono::seconds(30), 10}, clock_.now());
  SYNC_ASSERT_OK(first);
  ASSERT_EQ(first->size(), 1u);
  // A change while the first is in flight becomes a new row that waits for it.
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"v":2})"));
  SYNC_ASSERT_OK(enqueue("t1", "8", R"({"v":1})"));
  auto second = claim(database(), {"B", std::chrono::seconds(30), 10}, clock_.now());
  SYNC_ASSERT_OK(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].local_id, "8");
  SYNC_ASSERT_OK(database().transact([&](mno::db::Connection& c) { return mark_done(c, (*first)[0], "u", clock_.now()); }));
  auto third = claim(database(), {"B", std::chrono::seconds(30), 10}, clock_.now());
  SYNC_ASSERT_OK(third);
  ASSERT_EQ(third->size(), 1u);
  EXPECT_EQ((*third)[0].payload, R"({"v":2})");
}

TEST_P(OutboxTest, ClaimCoalescesRowsThatRacedPastEnqueue) {
  // Two pending rows of one record, as two concurrent transactions could leave them.
  for (const char* p : {R"({"v":1})", R"({"v":2})", R"({"v":3})"}) {
    SYNC_ASSERT_OK(database().execute(
        "INSERT INTO sync_outbox (tenant, entity, local_id, operation, payload, version, next_attempt_at, created_at, "
        "updated_at) VALUES ('t1', 'contacts', '7', 'update', $1, 0, 0, 0, 0)",
        {p}));
  }
  auto items = claim(database(), {"A", std::chrono::seconds(30), 10}, clock_.now());
  SYNC_ASSERT_OK(items);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].payload, R"({"v":3})");
  EXPECT_EQ((*items)[0].coalesced, 2);
  auto n = count_outbox(database());
  SYNC_ASSERT_OK(n);
  EXPECT_EQ(n->sending, 1);
  EXPECT_EQ(n->done, 2);
  EXPECT_EQ(n->pending, 0);
}

TEST_P(OutboxTest, IdMapUniqueOnBothSidesAndScopedByTenant) {
  auto r = database().transaction([&](mno::db::Connection& c) -> mno::Status {
    if (auto s = link_ids(c, "t1", "contacts", "7", "u-1", clock_.now()); !s) return s;
    if (auto s = link_ids(c, "t2", "contacts", "7", "u-2", clock_.now()); !s) return s;  // same local id, other tenant
    return link_ids(c, "t1", "contacts", "7", "u-1", clock_.now());  // idempotent
  });
  SYNC_ASSERT_OK(r);
  auto conflict = database().transaction(
      [&](mno::db::Connection& c) { return link_ids(c, "t1", "contacts", "8", "u-1", clock_.now()); });
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, "sync.id_conflict");
  auto raw = database().execute(
      "INSERT INTO sync_id_map (tenant, entity, local_id, connec_id, created_at, updated_at) "
      "VALUES ('t1', 'contacts', '9', 'u-1', 0, 0)");
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().code, "db.constraint");
  auto e = database().transact([&](mno::db::Connection& c) { return find_by_connec_id(c, "t2", "contacts", "u-2"); },
                               mno::db::TxKind::read);
  SYNC_ASSERT_OK(e);
  ASSERT_TRUE(e->has_value());
  EXPECT_EQ((*e)->local_id, "7");
}

TALLY_INSTANTIATE_DATABASE_TESTS(OutboxTest);

}  // namespace
