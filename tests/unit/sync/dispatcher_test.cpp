// Dispatcher against the fake Connec! on SQLite and PostgreSQL: upsert with our external id and id-map update,
// batching, the full-jitter retry schedule with ManualClock (5xx, 429 Retry-After, connect errors), dead letter
// on 400 with the response kept, no duplicate after "apply then drop the reply", waiting references, max attempts.
#include <atomic>
#include <thread>

#include "mno/sync/backoff.hpp"
#include "mno/sync/dispatcher.hpp"
#include "mno/sync/id_map.hpp"
#include "sync_fixture.hpp"

namespace {

using namespace mno::sync;
using synctest::Fault;
using synctest::SyncTest;

class DispatcherTest : public SyncTest {
 protected:
  Dispatcher make(bool batch = true, int max_attempts = 10) {
    DispatcherOptions o;
    o.worker_id = "w1";
    o.use_batch = batch;
    o.max_attempts = max_attempts;
    o.backoff.base = std::chrono::seconds(1);
    o.backoff.cap = std::chrono::seconds(60);
    return Dispatcher(database_ptr(), *directory_, adapters_, clock_, random_, o);
  }
  OutboxItem only_row() {
    auto rows = list_outbox(database(), {});
    EXPECT_TRUE(rows.ok());
    EXPECT_EQ(rows->size(), 1u);
    return rows->empty() ? OutboxItem{} : rows->front();
  }
  std::optional<IdMapEntry> id_map(const std::string& tenant, const std::string& local_id) {
    auto e = database().transact(
        [&](mno::db::Connection& c) { return find_by_local_id(c, tenant, "contacts", local_id); }, mno::db::TxKind::read);
    EXPECT_TRUE(e.ok());
    return e.ok() ? *e : std::nullopt;
  }
};

TEST_P(DispatcherTest, PushesAnUpsertWithOurExternalIdAndStoresTheConnecId) {
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"name":"Ann"})", "create"));
  auto d = make();
  auto rep = d.run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->done, 1);
  auto req = http_.last_request();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://connec.test/api/v2/cld-t1/people");
  auto body = nlohmann::json::parse(req.body);
  EXPECT_EQ(mno::connec::find_own_id(body["people"]["id"], {"tally", "t1"}), "7");
  EXPECT_EQ(body["people"]["first_name"], "Ann");
  auto row = only_row();
  EXPECT_EQ(row.state, OutboxState::done);
  auto e = id_map("t1", "7");
  ASSERT_TRUE(e);
  ASSERT_TRUE(e->connec_id);
  EXPECT_EQ(row.connec_id, e->connec_id);
  EXPECT_TRUE(e->last_push_at);
  // An update later carries the Connec! id too and hits the same record.
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"name":"Anna"})"));
  SYNC_ASSERT_OK(d.run_once());
  EXPECT_EQ(connec_.record_count(), 1u);
  EXPECT_EQ(connec_.record(*e->connec_id)["first_name"], "Anna");
}

TEST_P(DispatcherTest, SeveralRowsOfATenantGoInOneBatch) {
  for (int i = 0; i < 5; ++i) SYNC_ASSERT_OK(enqueue("t1", std::to_string(i), R"({"name":"N"})"));
  SYNC_ASSERT_OK(enqueue("t2", "0", R"({"name":"Other tenant, same local id"})"));
  auto rep = make().run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->done, 6);
  EXPECT_EQ(connec_.batches(), 1);  // t1's five; t2's single row is a plain upsert
  EXPECT_EQ(connec_.record_count(), 6u);
  EXPECT_NE(id_map("t1", "0")->connec_id, id_map("t2", "0")->connec_id);
}

TEST_P(DispatcherTest, RetriesWithFullJitterBackoffWithoutSleeping) {
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"name":"Ann"})"));
  connec_.plan(Fault::server_error);
  connec_.plan(Fault::connect_error);
  connec_.plan(Fault::server_error);
  auto d = make();
  mno::SeededRandom expected_random(42);
  BackoffPolicy policy{std::chrono::seconds(1), std::chrono::seconds(60)};
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto before = clock_.now();
    auto rep = d.run_once();
    SYNC_ASSERT_OK(rep);
    ASSERT_EQ(rep->retried, 1) << "attempt " << attempt;
    auto row = only_row();
    EXPECT_EQ(row.state, OutboxState::pending);
    EXPECT_EQ(row.attempts, attempt);
    auto delay = backoff_delay(policy, attempt, expected_random);
    EXPECT_EQ(row.next_attempt_at - before, delay);
    EXPECT_LE(delay, std::chrono::seconds(1 << (attempt - 1)));
    ASSERT_TRUE(row.last_error);
    // Not due yet: nothing is claimed.
    if (delay > std::chrono::milliseconds(0)) {
      auto early = d.run_once();
      SYNC_ASSERT_OK(early);
      EXPECT_EQ(early->claimed, 0);
    }
    clock_.advance(delay);
  }
  auto rep = d.run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->done, 1);
  EXPECT_EQ(connec_.record_count(), 1u);
  EXPECT_EQ(id_map("t1", "7")->last_error, std::nullopt);
}

TEST_P(DispatcherTest, HonoursRetryAfter) {
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"name":"Ann"})"));
  connec_.plan(Fault::rate_limited);
  auto d = make();
  auto before = clock_.now();
  SYNC_ASSERT_OK(d.run_once());
  auto row = only_row();
  EXPECT_EQ(row.last_status, 429);
  EXPECT_GE(row.next_attempt_at - before, std::chrono::seconds(30));
  clock_.advance(std::chrono::seconds(29));
  EXPECT_EQ(d.run_once()->claimed, 0);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(d.run_once()->done, 1);
}

TEST_P(DispatcherTest, DeadLettersA400KeepingTheResponse) {
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"name":""})"));
  connec_.plan(Fault::bad_request);
  auto rep = make(false).run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->dead, 1);
  auto row = only_row();
  EXPECT_EQ(row.state, OutboxState::dead);
  EXPECT_EQ(row.last_status, 400);
  ASSERT_TRUE(row.last_response);
  EXPECT_NE(row.last_response->find("name is required"), std::string::npos);
  ASSERT_TRUE(row.last_error);
  EXPECT_EQ(row.last_error->rfind("connec.invalid", 0), 0u);
  auto e = id_map("t1", "7");
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->last_error);
  EXPECT_FALSE(e->connec_id);
  // Operator replay.
  auto again = retry_now(database(), "t1", row.id, clock_.now());
  SYNC_ASSERT_OK(again);
  EXPECT_TRUE(*again);
  EXPECT_EQ(make().run_once()->done, 1);
}

TEST_P(DispatcherTest, AmbiguousFailureIsRetriedAsTheSameUpsertWithoutDuplicate) {
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"name":"Ann"})", "create"));
  connec_.plan(Fault::apply_then_drop);
  auto d = make(false);
  auto rep = d.run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->retried, 1);
  EXPECT_EQ(connec_.record_count(), 1u);  // applied, reply lost
  EXPECT_EQ(only_row().last_error->rfind("connec.ambiguous", 0), 0u);
  clock_.advance(std::chrono::minutes(2));
  rep = d.run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->done, 1);
  EXPECT_EQ(connec_.posts(), 2);
  EXPECT_EQ(connec_.record_count(), 1u);
  EXPECT_EQ(connec_.records().begin()->first, id_map("t1", "7")->connec_id);
}

TEST_P(DispatcherTest, AmbiguousBatchIsRetriedWithoutDuplicates) {
  for (int i = 0; i < 3; ++i) SYNC_ASSERT_OK(enqueue("t1", std::to_string(i), R"({"name":"N"})"));
  connec_.plan(Fault::apply_then_drop);
  auto d = make(true);
  EXPECT_EQ(d.run_once()->retried, 3);
  clock_.advance(std::chrono::minutes(2));
  EXPECT_EQ(d.run_once()->done, 3);
  EXPECT_EQ(connec_.record_count(), 3u);
}

TEST_P(DispatcherTest, WaitingReferenceIsRetriedNeverDroppedAndGoneIsFinished) {
  SYNC_ASSERT_OK(enqueue("t1", "7", "wait"));
  SYNC_ASSERT_OK(enqueue("t1", "8", "gone"));
  auto rep = make().run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->retried, 1);
  EXPECT_EQ(rep->done, 1);
  EXPECT_EQ(connec_.posts(), 0);
  auto n = count_outbox(database());
  EXPECT_EQ(n->pending, 1);
}

TEST_P(DispatcherTest, GivesUpAfterMaxAttempts) {
  SYNC_ASSERT_OK(enqueue("t1", "7", R"({"name":"Ann"})"));
  for (int i = 0; i < 3; ++i) connec_.plan(Fault::server_error);
  auto d = make(false, 3);
  for (int i = 0; i < 3; ++i) {
    SYNC_ASSERT_OK(d.run_once());
    clock_.advance(std::chrono::minutes(5));
  }
  auto row = only_row();
  EXPECT_EQ(row.state, OutboxState::dead);
  EXPECT_EQ(row.attempts, 3);
  EXPECT_EQ(row.last_status, 503);
}

TEST_P(DispatcherTest, UnknownTenantWaits) {
  SYNC_ASSERT_OK(enqueue("gone", "7", R"({"name":"Ann"})"));
  auto rep = make().run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->retried, 1);
}

TEST_P(DispatcherTest, SeveralDispatchersDeliverEachRowExactlyOnce) {
  constexpr int kRows = 120;
  for (int i = 0; i < kRows; ++i) SYNC_ASSERT_OK(enqueue("t" + std::to_string(i % 3), std::to_string(i), R"({"name":"N"})"));
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 3; ++w) {
    threads.emplace_back([&, w] {
      auto db = mno::db::open_database(database_url());
      if (!db) {
        ++errors;
        return;
      }
      mno::SeededRandom rnd(w + 1);
      DispatcherOptions o;
      o.worker_id = "w" + std::to_string(w);
      o.claim_limit = 10;
      Dispatcher d(*db, *directory_, adapters_, clock_, rnd, o);
      if (!d.drain().ok()) ++errors;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(connec_.posts(), kRows);
  EXPECT_EQ(connec_.record_count(), static_cast<size_t>(kRows));
  EXPECT_EQ(count_outbox(database())->done, kRows);
}

TALLY_INSTANTIATE_DATABASE_TESTS(DispatcherTest);

TEST(Backoff, FullJitterStaysUnderTheCappedExponentialAndHonoursRetryAfter) {
  mno::SeededRandom r(1);
  BackoffPolicy p{std::chrono::milliseconds(100), std::chrono::seconds(5)};
  for (int attempt = 1; attempt < 30; ++attempt) {
    for (int k = 0; k < 50; ++k) {
      auto d = backoff_delay(p, attempt, r);
      EXPECT_GE(d.count(), 0);
      EXPECT_LE(d, std::min<std::chrono::milliseconds>(p.cap, std::chrono::milliseconds(100LL << std::min(attempt - 1, 20))));
    }
  }
  EXPECT_GE(backoff_delay(p, 1, r, std::chrono::seconds(30)), std::chrono::seconds(30));
}

}  // namespace
