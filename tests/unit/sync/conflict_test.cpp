// Conflict rule of the inbox worker on SQLite and PostgreSQL: the record changed in Tally (an unsent outbox row)
// and in Connec! since the last sync. Newest updated_at wins; with prefer_connec Connec! always wins; the losing
// side is logged with both times, and a Connec! win finishes the unsent local change so it does not overwrite it.
#include "mno/sync/inbox.hpp"
#include "mno/sync/inbox_worker.hpp"
#include "mno/sync/outbox.hpp"
#include "mno/util/iso8601.hpp"
#include "sync_fixture.hpp"

namespace {

using namespace mno::sync;
using synctest::SyncTest;

class ConflictTest : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.set(*mno::parse_iso8601("2026-03-01T10:00:00Z"));
    // p1 was imported earlier (version of 09:00) as local contact c1000.
    deliver("Ann", "2026-03-01T09:00:00Z");
    auto w = make({});
    auto r = w.drain();
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->applied, 1);
  }
  InboxWorker make(InboxWorkerOptions o) {
    o.worker_id = "iw";
    return InboxWorker(database_ptr(), adapters_, directory_.get(), clock_, random_, o);
  }
  void deliver(const std::string& name, const std::string& updated) {
    nlohmann::json rec = {{"id", {{{"id", "p1"}, {"provider", "connec"}, {"realm", "org-1"}}}},
                          {"first_name", name},
                          {"group_id", "cld-t1"},
                          {"updated_at", updated}};
    auto n = mno::connec::parse_notification(nlohmann::json({{"people", {rec}}}).dump(), {"people"});
    ASSERT_TRUE(n.ok());
    std::vector<InboxEntry> entries;
    for (auto& e : n->entities) entries.push_back({"t1", e});
    ASSERT_TRUE(store_inbox(database(), entries, clock_.now()).ok());
  }
  // A local edit at the clock's time: the app writes the record and its outbox row.
  void edit_locally(const std::string& name) {
    ASSERT_TRUE(database().execute("UPDATE test_contacts SET name = $1 WHERE tenant = 't1' AND id = 'c1000'", {name}).ok());
    ASSERT_TRUE(enqueue("t1", "c1000", nlohmann::json({{"name", name}}).dump()).ok());
  }
  std::string local_name() {
    auto r = database().query("SELECT name FROM test_contacts WHERE tenant = 't1' AND id = 'c1000'");
    return r.ok() && !r->empty() ? r->at(0).text(0) : "<none>";
  }
  std::string last_outcome() {
    auto r = database().query("SELECT outcome FROM sync_inbox ORDER BY id DESC LIMIT 1");
    return r.ok() && !r->empty() ? r->at(0).text(0) : "<none>";
  }
};

TEST_P(ConflictTest, NewerConnecChangeWinsAndSupersedesTheUnsentLocalChange) {
  edit_locally("Ann (Tally)");                    // 10:00
  deliver("Ann (Connec)", "2026-03-01T10:05:00Z");  // newer
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  auto r = make({}).drain();
  std::string log = testing::internal::GetCapturedStdout() + testing::internal::GetCapturedStderr();
  SYNC_ASSERT_OK(r);
  EXPECT_EQ(r->conflicts, 1);
  EXPECT_EQ(r->applied, 1);
  EXPECT_EQ(local_name(), "Ann (Connec)");
  auto counts = count_outbox(database(), "t1");
  EXPECT_EQ(counts->pending, 0);
  EXPECT_EQ(counts->done, 1);
  auto rows = list_outbox(database(), {"t1", {}, 10});
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_NE(rows->front().last_error.value_or("").find("sync.superseded"), std::string::npos);
  EXPECT_NE(log.find("event=sync.conflict"), std::string::npos) << log;
  EXPECT_NE(log.find("winner=connec"), std::string::npos);
  EXPECT_NE(log.find("local_updated_at=2026-03-01T10:00:00"), std::string::npos) << log;
  EXPECT_NE(log.find("connec_updated_at=2026-03-01T10:05:00"), std::string::npos) << log;
}

TEST_P(ConflictTest, NewerLocalChangeWinsAndTheConnecChangeIsSkipped) {
  edit_locally("Ann (Tally)");                    // 10:00
  deliver("Ann (Connec)", "2026-03-01T09:30:00Z");  // newer than the last sync, older than the local edit
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  auto r = make({}).drain();
  std::string log = testing::internal::GetCapturedStdout() + testing::internal::GetCapturedStderr();
  SYNC_ASSERT_OK(r);
  EXPECT_EQ(r->conflicts, 1);
  EXPECT_EQ(r->applied, 0);
  EXPECT_EQ(r->skipped, 1);
  EXPECT_EQ(local_name(), "Ann (Tally)");
  EXPECT_EQ(last_outcome(), "conflict");
  EXPECT_EQ(count_outbox(database(), "t1")->pending, 1);  // the local version still goes out
  EXPECT_NE(log.find("winner=local"), std::string::npos) << log;
  EXPECT_NE(log.find("loser=connec"), std::string::npos);
}

TEST_P(ConflictTest, PreferConnecOptionAlwaysAppliesConnec) {
  edit_locally("Ann (Tally)");
  deliver("Ann (Connec)", "2026-03-01T09:30:00Z");  // older than the local edit, still wins
  InboxWorkerOptions o;
  o.conflicts = ConflictPolicy::prefer_connec;
  auto r = make(o).drain();
  SYNC_ASSERT_OK(r);
  EXPECT_EQ(r->conflicts, 1);
  EXPECT_EQ(r->applied, 1);
  EXPECT_EQ(local_name(), "Ann (Connec)");
  EXPECT_EQ(count_outbox(database(), "t1")->pending, 0);
}

TEST_P(ConflictTest, NoLocalChangeIsNoConflict) {
  deliver("Ann (Connec)", "2026-03-01T09:30:00Z");
  auto r = make({}).drain();
  SYNC_ASSERT_OK(r);
  EXPECT_EQ(r->conflicts, 0);
  EXPECT_EQ(r->applied, 1);
  EXPECT_EQ(local_name(), "Ann (Connec)");
}

TALLY_INSTANTIATE_DATABASE_TESTS(ConflictTest);

}  // namespace
