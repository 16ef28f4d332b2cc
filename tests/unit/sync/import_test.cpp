// Initial import on SQLite and PostgreSQL against a paged fake Connec!: every collection in reference order with
// progress from pagination.total, pagination.next followed, resume from the stored cursor after a worker died
// between pages (its late write fenced out), retry with backoff then failed and operator retry, and references
// arriving after the records that point at them (applied once the referenced record is in).
#include <map>

#include "mno/sync/id_map.hpp"
#include "mno/sync/importer.hpp"
#include "mno/sync/inbox.hpp"
#include "mno/sync/inbox_worker.hpp"
#include "sync_fixture.hpp"

namespace {

using namespace mno::sync;
using synctest::SyncTest;

// Serves GET /api/v2/{gid}/{collection}?%24skip=N&%24top=M from in-memory collections, with pagination
// {skip, top, total, next}. hook(collection, skip) runs before answering (fault injection, "crashes").
class PagedConnec {
 public:
  std::map<std::string, std::vector<nlohmann::json>> collections;
  std::function<std::optional<mno::Result<mno::http::Response>>(const std::string&, int)> hook;
  std::vector<std::string> urls;

  mno::Result<mno::http::Response> handle(const mno::http::Request& r) {
    urls.push_back(r.url);
    auto q = r.url.find('?');
    std::string path = r.url.substr(0, q);
    std::string coll = path.substr(path.find_last_of('/') + 1);
    int skip = param(r.url, "%24skip=", 0), top = param(r.url, "%24top=", 100);
    if (hook)
      if (auto over = hook(coll, skip)) return *over;
    const auto& all = collections[coll];
    nlohmann::json page = nlohmann::json::array();
    for (int i = skip; i < skip + top && i < static_cast<int>(all.size()); ++i) page.push_back(all[i]);
    nlohmann::json pagination = {{"skip", skip}, {"top", top}, {"total", all.size()}};
    if (skip + top < static_cast<int>(all.size()))
      pagination["next"] = path + "?%24skip=" + std::to_string(skip + top) + "&%24top=" + std::to_string(top);
    return mno::http::FakeHttpClient::json_response(200, {{coll, page}, {"pagination", pagination}});
  }

 private:
  static int param(const std::string& url, const std::string& key, int dflt) {
    auto p = url.find(key);
    return p == std::string::npos ? dflt : std::stoi(url.substr(p + key.size()));
  }
};

nlohmann::json record(const std::string& cid, const std::string& field, const std::string& value,
                      const std::string& updated = "2026-01-01T00:00:00Z") {
  return {{"id", {{{"id", cid}, {"provider", "connec"}, {"realm", "org-1"}}}},
          {field, value},
          {"group_id", "cld-t1"},
          {"updated_at", updated}};
}

class ImportTest : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    http_.set_fallback([this](const mno::http::Request& r) { return connec_pages_.handle(r); });
    for (int i = 1; i <= 5; ++i) connec_pages_.collections["organizations"].push_back(record("o" + std::to_string(i), "name", "Org"));
    for (int i = 1; i <= 3; ++i) connec_pages_.collections["people"].push_back(record("p" + std::to_string(i), "first_name", "P"));
    connec_pages_.collections["invoices"].push_back(record("i1", "title", "Inv"));
  }
  Importer importer(const std::string& worker, int pages_per_round = 50) {
    ImporterOptions o;
    o.worker_id = worker;
    o.page_size = 2;
    o.max_pages_per_round = pages_per_round;
    o.max_attempts = 3;
    return Importer(database_ptr(), *directory_, clock_, random_, o);
  }
  ImportRun latest(const std::string& tenant = "t1") {
    auto r = latest_import(database(), tenant);
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? **r : ImportRun{};
  }
  int64_t inbox_rows(const std::string& collection) {
    auto r = database().query("SELECT COUNT(*) FROM sync_inbox WHERE collection = $1", {collection});
    return r.ok() ? r->at(0).i64(0) : -1;
  }
  PagedConnec connec_pages_;
};

TEST_P(ImportTest, PagesEveryCollectionInOrderWithProgress) {
  auto id = request_import(database(), "t1", default_import_collections(), clock_.now());
  SYNC_ASSERT_OK(id);
  // Requesting again while one is queued returns the same run.
  EXPECT_EQ(*request_import(database(), "t1", default_import_collections(), clock_.now()), *id);
  auto before = latest();
  EXPECT_EQ(before.state, ImportState::pending);
  ASSERT_EQ(before.collections.size(), 4u);
  EXPECT_FALSE(before.total());

  auto rep = importer("w1").drain();
  SYNC_ASSERT_OK(rep);
  EXPECT_EQ(rep->runs_done, 1);
  EXPECT_EQ(rep->records, 9);
  auto run = latest();
  EXPECT_EQ(run.state, ImportState::done);
  EXPECT_TRUE(run.finished_at);
  std::vector<std::string> order;
  for (auto& c : run.collections) order.push_back(c.collection);
  EXPECT_EQ(order, (std::vector<std::string>{"organizations", "people", "items", "invoices"}));
  EXPECT_EQ(run.collections[0].done, 5);
  EXPECT_EQ(run.collections[0].total, 5);
  EXPECT_EQ(run.collections[0].pages, 3);  // 2 + 2 + 1, following pagination.next
  EXPECT_EQ(run.collections[1].done, 3);
  EXPECT_EQ(run.collections[2].done, 0);   // empty collection: one page, finished
  EXPECT_EQ(run.collections[2].percent(), 100);
  EXPECT_EQ(run.done(), 9);
  EXPECT_EQ(run.total(), 9);
  EXPECT_EQ(inbox_rows("organizations"), 5);
  EXPECT_EQ(inbox_rows("people"), 3);
  // References first: every organization row precedes every person row in the inbox (claimed in id order).
  auto order_ok = database().query(
      "SELECT (SELECT MAX(id) FROM sync_inbox WHERE collection = 'organizations') < "
      "(SELECT MIN(id) FROM sync_inbox WHERE collection = 'people')");
  SYNC_ASSERT_OK(order_ok);
  EXPECT_EQ(order_ok->at(0).i64(0), 1);
  // Only the first page is built from $top; the others are pagination.next.
  EXPECT_EQ(connec_pages_.urls.front(), "https://connec.test/api/v2/cld-t1/organizations?%24skip=0&%24top=2");
  EXPECT_EQ(connec_pages_.urls.at(1), "https://connec.test/api/v2/cld-t1/organizations?%24skip=2&%24top=2");
  // A new request after the run finished starts a new run.
  EXPECT_NE(*request_import(database(), "t1", default_import_collections(), clock_.now()), *id);
}

TEST_P(ImportTest, ProgressIsStoredPageByPage) {
  SYNC_ASSERT_OK(request_import(database(), "t1", {"organizations", "people"}, clock_.now()));
  auto w = importer("w1", 1);
  SYNC_ASSERT_OK(w.run_once());
  auto run = latest();
  EXPECT_EQ(run.state, ImportState::pending);  // page budget used: due again at once
  EXPECT_EQ(run.collections[0].done, 2);
  EXPECT_EQ(run.collections[0].total, 5);
  EXPECT_EQ(run.collections[0].percent(), 40);
  EXPECT_FALSE(run.collections[0].finished);
  EXPECT_EQ(run.collections[1].pages, 0);
  SYNC_ASSERT_OK(w.drain());
  EXPECT_EQ(latest().state, ImportState::done);
  EXPECT_EQ(latest().done(), 8);
}

TEST_P(ImportTest, ResumesFromTheLastStoredPageAfterAWorkerDiesAndFencesItsLateWrite) {
  SYNC_ASSERT_OK(request_import(database(), "t1", {"organizations", "people"}, clock_.now()));
  auto a = importer("worker-a");
  auto b = importer("worker-b");
  bool crashed = false;
  std::optional<mno::Result<ImportReport>> b_report;
  // Worker A stalls while fetching the second page of organizations (as good as dead): its lease runs out and
  // worker B takes the run over, then A's answer finally arrives.
  connec_pages_.hook = [&](const std::string& coll, int skip) -> std::optional<mno::Result<mno::http::Response>> {
    if (coll == "organizations" && skip == 2 && !crashed) {
      crashed = true;
      clock_.advance(std::chrono::minutes(6));
      b_report = b.drain();
    }
    return std::nullopt;
  };
  auto ra = a.run_once();
  SYNC_ASSERT_OK(ra);
  EXPECT_EQ(ra->lost_lease, 1);
  EXPECT_EQ(ra->pages, 1);  // only page 1 is A's
  ASSERT_TRUE(b_report.has_value());
  SYNC_ASSERT_OK(*b_report);
  EXPECT_EQ((*b_report)->runs_done, 1);
  // B went on from the stored cursor: page 1 was fetched once (by A), page 2 by A (lost) and B.
  int first_pages = 0;
  for (auto& u : connec_pages_.urls)
    if (u.find("organizations?%24skip=0") != std::string::npos) ++first_pages;
  EXPECT_EQ(first_pages, 1);
  auto run = latest();
  EXPECT_EQ(run.state, ImportState::done);
  EXPECT_EQ(run.attempts, 2);
  EXPECT_EQ(run.collections[0].done, 5);  // not 7: A's late page was not stored
  EXPECT_EQ(inbox_rows("organizations"), 5);
  EXPECT_EQ(inbox_rows("people"), 3);
}

TEST_P(ImportTest, FailuresRetryWithBackoffThenFailAndAnOperatorRetryResumes) {
  SYNC_ASSERT_OK(request_import(database(), "t1", {"organizations"}, clock_.now()));
  int failures_left = 1;
  connec_pages_.hook = [&](const std::string&, int skip) -> std::optional<mno::Result<mno::http::Response>> {
    if (skip == 2 && failures_left > 0) {
      --failures_left;
      return mno::Result<mno::http::Response>(
          mno::http::FakeHttpClient::json_response(500, {{"errors", {{{"status", "500"}}}}}));
    }
    return std::nullopt;
  };
  auto w = importer("w1");
  auto r1 = w.run_once();
  SYNC_ASSERT_OK(r1);
  EXPECT_EQ(r1->runs_retrying, 1);
  auto run = latest();
  EXPECT_EQ(run.state, ImportState::pending);
  ASSERT_TRUE(run.last_error);
  EXPECT_NE(run.last_error->find("connec."), std::string::npos);
  EXPECT_EQ(run.collections[0].done, 2);
  // Not due before its backoff.
  EXPECT_EQ(w.run_once()->runs_claimed, 0);
  clock_.advance(std::chrono::minutes(11));
  SYNC_ASSERT_OK(w.drain());
  EXPECT_EQ(latest().state, ImportState::done);
  EXPECT_FALSE(latest().last_error);
  EXPECT_EQ(latest().collections[0].done, 5);

  // A tenant whose Connec! keeps failing: failed after max_attempts, then retried by an operator.
  SYNC_ASSERT_OK(request_import(database(), "t2", {"organizations"}, clock_.now()));
  failures_left = 3;
  for (int i = 0; i < 3; ++i) {
    SYNC_ASSERT_OK(w.run_once());
    clock_.advance(std::chrono::minutes(11));
  }
  auto failed = latest("t2");
  EXPECT_EQ(failed.state, ImportState::failed);
  EXPECT_EQ(failed.collections[0].done, 2);
  EXPECT_FALSE(*retry_import(database(), "t1", failed.id, clock_.now()));  // another tenant's run
  EXPECT_TRUE(*retry_import(database(), "t2", failed.id, clock_.now()));
  SYNC_ASSERT_OK(w.drain());
  EXPECT_EQ(latest("t2").state, ImportState::done);
  EXPECT_EQ(latest("t2").collections[0].done, 5);
}

TEST_P(ImportTest, UnknownTenantRetriesLater) {
  SYNC_ASSERT_OK(request_import(database(), "gone", {"organizations"}, clock_.now()));
  auto r = importer("w1").run_once();
  SYNC_ASSERT_OK(r);
  EXPECT_EQ(r->runs_retrying, 1);
  auto run = latest("gone");
  EXPECT_EQ(run.state, ImportState::pending);
  EXPECT_NE(run.last_error->find("sync.unknown_tenant"), std::string::npos);
}

// people -> test_contacts; a person whose organization_id is not yet imported waits (sync.waiting) and is
// applied once the organization came in on a later page.
class OrgsAdapter final : public EntityAdapter {
 public:
  std::string entity() const override { return "orgs"; }
  std::string collection() const override { return "organizations"; }
  mno::Result<nlohmann::json> to_connec(OutboundContext&, const OutboxItem&) override {
    return mno::make_error("test.unused", "no outbound orgs");
  }
  mno::Result<std::string> from_connec(mno::db::Connection&, const InboundChange& ch) override {
    return "org-" + ch.connec_id;
  }
};

class RefPeopleAdapter final : public EntityAdapter {
 public:
  std::string entity() const override { return "contacts"; }
  std::string collection() const override { return "people"; }
  mno::Result<nlohmann::json> to_connec(OutboundContext&, const OutboxItem&) override {
    return mno::make_error("test.unused", "no outbound people");
  }
  mno::Result<std::string> from_connec(mno::db::Connection& c, const InboundChange& ch) override {
    auto org = mno::connec::find_connec_id(ch.record.value("organization_id", nlohmann::json()));
    if (org) {
      auto e = find_by_connec_id(c, ch.tenant, "orgs", *org);
      if (!e) return e.error();
      if (!*e) return mno::make_error("sync.waiting", "organization " + *org + " not imported yet");
    }
    std::string id = "c-" + ch.connec_id;
    auto ins = c.execute("INSERT INTO test_contacts (tenant, id, name) VALUES ($1, $2, $3)",
                         {ch.tenant, id, ch.record.value("first_name", "")});
    if (!ins) return ins.error();
    return id;
  }
};

TEST_P(ImportTest, ReferencesArrivingLaterAreWaitedFor) {
  // The person's organization is on the second page of organizations, and people are imported first here.
  auto person = record("p9", "first_name", "Late");
  person["organization_id"] = {{{"id", "o5"}, {"provider", "connec"}, {"realm", "org-1"}}};
  connec_pages_.collections["people"] = {person};
  SYNC_ASSERT_OK(request_import(database(), "t1", {"people", "organizations"}, clock_.now()));
  auto w = importer("w1", 1);
  SYNC_ASSERT_OK(w.run_once());  // people: one page

  AdapterRegistry adapters;
  adapters.add(std::make_shared<OrgsAdapter>());
  adapters.add(std::make_shared<RefPeopleAdapter>());
  InboxWorkerOptions o;
  o.worker_id = "iw";
  InboxWorker inbox(database_ptr(), adapters, directory_.get(), clock_, random_, o);
  auto first = inbox.drain();
  SYNC_ASSERT_OK(first);
  EXPECT_EQ(first->waiting, 1);
  EXPECT_EQ(first->applied, 0);

  SYNC_ASSERT_OK(w.drain());  // organizations arrive
  clock_.advance(std::chrono::minutes(20));
  auto second = inbox.drain();
  SYNC_ASSERT_OK(second);
  // The waiting person is claimed first (oldest row) and waits once more; the organizations are applied.
  EXPECT_EQ(second->applied, 5);
  clock_.advance(std::chrono::minutes(20));
  auto third = inbox.drain();
  SYNC_ASSERT_OK(third);
  EXPECT_EQ(third->applied, 1);
  auto r = database().query("SELECT name FROM test_contacts WHERE tenant = 't1' AND id = 'c-p9'");
  SYNC_ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->at(0).text(0), "Late");
  EXPECT_EQ(count_inbox(database(), "t1")->done, 6);
}

TALLY_INSTANTIATE_DATABASE_TESTS(ImportTest);

}  // namespace
