// Inbox on SQLite and PostgreSQL: deduplicated store, apply through the adapter with the id map, no outbox row
// for inbound writes, order per record, stale and echo skips, waiting references.
#include "mno/sync/id_map.hpp"
#include "mno/sync/inbox.hpp"
#include "mno/sync/inbox_worker.hpp"
#include "mno/sync/outbox.hpp"
#include "mno/util/iso8601.hpp"
#include "sync_fixture.hpp"

namespace {

using namespace mno::sync;
using synctest::SyncTest;

class InboxTest : public SyncTest {
 protected:
  InboxWorker make() {
    InboxWorkerOptions o;
    o.worker_id = "iw";
    return InboxWorker(database_ptr(), adapters_, directory_.get(), clock_, random_, o);
  }
  std::vector<InboxEntry> parse(const std::string& tenant, const std::string& body) {
    auto n = mno::connec::parse_notification(body, {"people"});
    EXPECT_TRUE(n.ok());
    std::vector<InboxEntry> out;
    if (n.ok())
      for (auto& e : n->entities) out.push_back({tenant, e});
    return out;
  }
  std::string name_of(const std::string& tenant, const std::string& id) {
    auto r = database().query("SELECT name FROM test_contacts WHERE tenant = $1 AND id = $2", {tenant, id});
    return r.ok() && !r->empty() ? r->at(0).text(0) : std::string("<none>");
  }
  static std::string person(const std::string& cid, const std::string& name, const std::string& updated,
                            const std::string& own = "") {
    nlohmann::json ids = nlohmann::json::array({{{"id", cid}, {"provider", "connec"}, {"realm", "org-1"}}});
    if (!own.empty()) ids.push_back({{"id", own}, {"provider", "tally"}, {"realm", "t1"}});
    return nlohmann::json({{"id", ids}, {"first_name", name}, {"group_id", "cld-t1"}, {"updated_at", updated}}).dump();
  }
  // Stores a notification of person p1 in tenant t1 and applies it with w.
  mno::Result<mno::sync::ApplyReport> deliver(InboxWorker& w, const std::string& name, const std::string& updated) {
    auto s = store_inbox(database(), parse("t1", R"({"people":[)" + person("p1", name, updated) + "]}"), clock_.now());
    if (!s) return s.error();
    return w.drain();
  }
  std::string local_id_of_p1() {
    auto local = database().transact([&](mno::db::Connection& c) { return find_by_connec_id(c, "t1", "contacts", "p1"); },
                                     mno::db::TxKind::read);
    return local && *local ? (**local).local_id.value_or("") : std::string();
  }
  // Tally's push of the record returned at `at` (the clock moves there).
  void pushed_at(const std::string& local_id, mno::TimePoint at) {
    clock_.set(at);
    SYNC_ASSERT_OK(database().transaction(
        [&](mno::db::Connection& c) { return record_push(c, "t1", "contacts", local_id, "p1", at); }));
  }
};

TEST_P(InboxTest, RedeliveredNotificationIsStoredOnce) {
  std::string body = R"({"people":[)" + person("p1", "Ann", "2026-01-01T00:00:00Z") + "," +
                     person("p2", "Bob", "2026-01-01T00:00:00Z") + "]}";
  auto first = store_inbox(database(), parse("t1", body), clock_.now());
  SYNC_ASSERT_OK(first);
  EXPECT_EQ(first->stored, 2u);
  auto again = store_inbox(database(), parse("t1", body), clock_.now());
  SYNC_ASSERT_OK(again);
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->duplicates, 2u);
  // Same record, same second, different content: kept.
  auto changed = store_inbox(database(), parse("t1", R"({"people":[)" + person("p1", "Anne", "2026-01-01T00:00:00Z") + "]}"),
                             clock_.now());
  EXPECT_EQ(changed->stored, 1u);
  // Same payload for another tenant: kept.
  EXPECT_EQ(store_inbox(database(), parse("t2", body), clock_.now())->stored, 2u);
  EXPECT_EQ(count_inbox(database())->pending, 5);
}

TEST_P(InboxTest, AppliesInOrderPerRecordWithoutEchoIntoTheOutbox) {
  std::string body = R"({"people":[)" + person("p1", "Ann", "2026-01-01T00:00:00Z") + "," +
                     person("p1", "Ann B", "2026-01-01T00:00:05Z") + "," + person("p2", "Bob", "2026-01-01T00:00:00Z") +
                     "]}";
  SYNC_ASSERT_OK(store_inbox(database(), parse("t1", body), clock_.now()));
  auto w = make();
  auto first = w.run_once();
  SYNC_ASSERT_OK(first);
  EXPECT_EQ(first->claimed, 2);  // one per record: p1's second change waits for its first
  auto rest = w.drain();
  SYNC_ASSERT_OK(rest);
  EXPECT_EQ(rest->applied, 1);
  auto e = database().transact([&](mno::db::Connection& c) { return find_by_connec_id(c, "t1", "contacts", "p1"); },
                               mno::db::TxKind::read);
  SYNC_ASSERT_OK(e);
  ASSERT_TRUE(e->has_value());
  EXPECT_EQ(name_of("t1", *(*e)->local_id), "Ann B");
  EXPECT_TRUE((*e)->last_pull_at);
  EXPECT_EQ(count_outbox(database())->pending, 0);  // inbound writes never become outbox rows
  EXPECT_EQ(count_inbox(database())->done, 3);
}

TEST_P(InboxTest, SkipsStaleAndOwnEchoes) {
  clock_.set(*mno::parse_iso8601("2026-01-01T00:00:30Z"));
  SYNC_ASSERT_OK(store_inbox(database(), parse("t1", R"({"people":[)" + person("p1", "New", "2026-01-01T00:00:10Z") + "]}"),
                             clock_.now()));
  auto w = make();
  SYNC_ASSERT_OK(w.drain());
  // An older version arriving late does not overwrite the newer one.
  SYNC_ASSERT_OK(store_inbox(database(), parse("t1", R"({"people":[)" + person("p1", "Old", "2026-01-01T00:00:01Z") + "]}"),
                             clock_.now()));
  auto rep = w.drain();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->skipped, 1);
  auto local = database().transact([&](mno::db::Connection& c) { return find_by_connec_id(c, "t1", "contacts", "p1"); },
                                   mno::db::TxKind::read);
  std::string local_id = *(**local).local_id;
  EXPECT_EQ(name_of("t1", local_id), "New");

  // Our own push at T, then Connec! tells us about it with updated_at <= T: nothing changes.
  pushed_at(local_id, *mno::parse_iso8601("2026-01-01T00:01:00Z"));
  rep = deliver(w, "Echo", "2026-01-01T00:00:59Z");
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->skipped, 1);
  EXPECT_EQ(name_of("t1", local_id), "New");
  // A later change by another app is applied.
  SYNC_ASSERT_OK(store_inbox(database(), parse("t1", R"({"people":[)" + person("p1", "Later", "2026-01-01T00:02:00Z") + "]}"),
                             clock_.now()));
  rep = w.drain();
  EXPECT_EQ(rep->applied, 1);
  EXPECT_EQ(name_of("t1", local_id), "Later");
}

TEST_P(InboxTest, AnotherAppsEditInThePushsOwnSecondIsApplied) {
  clock_.set(*mno::parse_iso8601("2026-01-01T00:00:30Z"));
  auto w = make();
  SYNC_ASSERT_OK(deliver(w, "New", "2026-01-01T00:00:10Z"));
  std::string local_id = local_id_of_p1();
  // Our push returns at 00:01:00.400; Connec! stamps whole seconds.
  pushed_at(local_id, *mno::parse_iso8601("2026-01-01T00:01:00Z") + std::chrono::milliseconds(400));
  // A stamp of an earlier second is our own write coming back...
  auto rep = deliver(w, "Echo", "2026-01-01T00:00:59Z");
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->skipped, 1);
  EXPECT_EQ(name_of("t1", local_id), "New");
  // ...but one in the push's own second may be another app's edit just after it: applied, not lost.
  rep = deliver(w, "Same second", "2026-01-01T00:01:00Z");
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->applied, 1);
  EXPECT_EQ(name_of("t1", local_id), "Same second");
}

TEST_P(InboxTest, OwnIdInTheArrayFindsTheLocalRecord) {
  SYNC_ASSERT_OK(database().execute("INSERT INTO test_contacts (tenant, id, name) VALUES ('t1', '42', 'Mine')"));
  SYNC_ASSERT_OK(store_inbox(database(), parse("t1", R"({"people":[)" + person("p9", "Mine 2", "2026-01-01T00:00:00Z", "42") + "]}"),
                             clock_.now()));
  SYNC_ASSERT_OK(make().drain());
  EXPECT_EQ(name_of("t1", "42"), "Mine 2");
}

TEST_P(InboxTest, UnknownReferenceWaitsAndIsRetried) {
  SYNC_ASSERT_OK(store_inbox(database(), parse("t1", R"({"people":[)" + person("p1", "needs-org", "2026-01-01T00:00:00Z") + "]}"),
                             clock_.now()));
  auto w = make();
  auto rep = w.run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->waiting, 1);
  EXPECT_EQ(count_inbox(database())->pending, 1);
  EXPECT_EQ(adapter_->applied, 0);
}

TEST_P(InboxTest, AFailingEntityIsRolledBackAloneInItsBatch) {
  SYNC_ASSERT_OK(store_inbox(database(), parse("t1", R"({"people":[)" + person("p1", "half-written", "2026-01-01T00:00:00Z") +
                                                         "," + person("p2", "Bob", "2026-01-01T00:00:00Z") + "]}"),
                             clock_.now()));
  auto rep = make().run_once();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->claimed, 2);
  EXPECT_EQ(rep->applied, 1);
  EXPECT_EQ(rep->dead, 1);
  auto names = database().query("SELECT name FROM test_contacts ORDER BY name");
  SYNC_ASSERT_OK(names);
  ASSERT_EQ(names->size(), 1u);
  EXPECT_EQ(names->at(0).text(0), "Bob");
  auto p1 = database().transact([&](mno::db::Connection& c) { return find_by_connec_id(c, "t1", "contacts", "p1"); },
                                mno::db::TxKind::read);
  SYNC_ASSERT_OK(p1);
  EXPECT_FALSE(p1->has_value()) << "no id-map entry for the rolled-back entity";
  auto counts = count_inbox(database());
  EXPECT_EQ(counts->done, 1);
  EXPECT_EQ(counts->dead, 1);
}

TALLY_INSTANTIATE_DATABASE_TESTS(InboxTest);

}  // namespace
