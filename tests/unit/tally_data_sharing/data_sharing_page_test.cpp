// The data-sharing page and `tally sync status` over an in-process Tally on SQLite and PostgreSQL: import progress
// per collection is visible, dead-lettered records show their reason and an admin's retry puts them back in the
// queue, members without an admin role see the page read-only and get 403 on the actions, a company sees only its
// own rows, the CLI prints the same summary, and a company created at its first SSO queues its import.
#include <sstream>

#include "../tally_company_web/company_web_fixture.hpp"
#include "mno/sync/importer.hpp"
#include "tally/cli/commands.hpp"
#include "tally/sync/tenant_directory.hpp"

using namespace testenv;

namespace {

class DataSharingPage : public CompanyWebTest {
 protected:
  std::string tenant() const { return tally::sync::tenant_key(owner.company_id); }
  int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(app->clock.now().time_since_epoch()).count();
  }
  // An import a quarter through organizations.
  void import_in_progress() {
    ASSERT_TRUE(mno::sync::request_import(*app->db, tenant(), mno::sync::default_import_collections(), app->clock.now()).ok());
    ASSERT_TRUE(app->db->execute("UPDATE sync_import_progress SET done_records = 50, total_records = 200, pages = 1 "
                                 "WHERE collection = 'organizations'").ok());
  }
  int64_t dead_row(const std::string& table, const std::string& tenant_key, const std::string& error) {
    auto r = table == "sync_outbox"
                 ? app->db->transact([&](mno::db::Connection& c) {
                     return c.query("INSERT INTO sync_outbox (tenant, entity, local_id, operation, state, attempts, "
                                    "next_attempt_at, last_error, created_at, updated_at) VALUES ($1, 'customers', '17', "
                                    "'update', 'dead', 3, $2, $3, $2, $2) RETURNING id",
                                    {tenant_key, now_ms(), error});
                   })
                 : app->db->transact([&](mno::db::Connection& c) {
                     return c.query("INSERT INTO sync_inbox (tenant, group_id, collection, connec_id, dedupe_key, payload, "
                                    "state, attempts, next_attempt_at, last_error, received_at) VALUES ($1, 'cld-1', "
                                    "'people', 'uuid-9', 'k', '{}', 'dead', 20, $2, $3, $2) RETURNING id",
                                    {tenant_key, now_ms(), error});
                   });
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->at(0).i64(0) : 0;
  }
  std::string state_of(const std::string& table, int64_t id) {
    auto r = app->db->query("SELECT state, attempts FROM " + table + " WHERE id = $1", {id});
    return r.ok() && !r->empty() ? r->at(0).text(0) + "/" + std::to_string(r->at(0).i64(1)) : "<none>";
  }
};

TEST_P(DataSharingPage, ShowsImportProgressPerCollection) {
  import_in_progress();
  auto b = browser_for(owner);
  auto r = b->get("/app/data-sharing");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "data-testid=\"import-state\">pending<"));
  EXPECT_TRUE(contains(r.body, "<progress max=\"100\" value=\"25\""));
  EXPECT_TRUE(contains(r.body, "data-testid=\"import-organizations-count\">50 / 200"));
  EXPECT_TRUE(contains(r.body, "data-testid=\"import-people-count\">0 / ?"));
  EXPECT_TRUE(contains(r.body, "data-refresh=\"/app/data-sharing\""));  // the script refreshes while it runs
  EXPECT_TRUE(contains(r.body, "src=\"/static/data_sharing.js\""));
  EXPECT_TRUE(contains(r.body, "aria-current=\"page\">Data sharing<"));
  EXPECT_EQ(b->get("/static/data_sharing.js").status, 200);

  // Finished: every bar full, the result shown, no refresh.
  ASSERT_TRUE(app->db->execute("UPDATE sync_import_progress SET done_records = total_records, finished = 1 "
                               "WHERE total_records IS NOT NULL").ok());
  ASSERT_TRUE(app->db->execute("UPDATE sync_import_progress SET total_records = 0, finished = 1 "
                               "WHERE total_records IS NULL").ok());
  ASSERT_TRUE(app->db->execute("UPDATE sync_import_runs SET state = 'done', finished_at = updated_at").ok());
  r = b->get("/app/data-sharing");
  EXPECT_TRUE(contains(r.body, "data-testid=\"import-state\">done<"));
  EXPECT_TRUE(contains(r.body, "data-testid=\"import-records\">200 of 200 records"));
  EXPECT_FALSE(contains(r.body, "data-refresh="));
}

TEST_P(DataSharingPage, AdminRetriesADeadLetteredRecord) {
  const int64_t out_id = dead_row("sync_outbox", tenant(), "connec.invalid: name is required");
  const int64_t in_id = dead_row("sync_inbox", tenant(), "sync.no_adapter: no adapter for collection people");
  auto b = browser_for(owner);
  auto page = b->get("/app/data-sharing");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "connec.invalid: name is required"));
  EXPECT_TRUE(contains(page.body, "sync.no_adapter: no adapter for collection people"));
  EXPECT_TRUE(contains(page.body, "data-testid=\"retry-outbox-" + std::to_string(out_id) + "\""));
  EXPECT_TRUE(contains(page.body, "data-testid=\"outbox-counts\">0 sent, 0 waiting, 1 failed"));

  // Without the CSRF token the action is refused.
  EXPECT_EQ(b->post_form("/app/data-sharing/outbox/" + std::to_string(out_id) + "/retry", {}, false).status, 403);
  EXPECT_EQ(state_of("sync_outbox", out_id), "dead/3");

  auto r = b->post_form("/app/data-sharing/outbox/" + std::to_string(out_id) + "/retry", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(state_of("sync_outbox", out_id), "pending/0");
  b->get("/app/data-sharing");
  EXPECT_EQ(b->post_form("/app/data-sharing/inbox/" + std::to_string(in_id) + "/retry", {}).status, 303);
  EXPECT_EQ(state_of("sync_inbox", in_id), "pending/0");
  auto after = b->get("/app/data-sharing");
  EXPECT_TRUE(contains(after.body, "The record was queued again."));
  EXPECT_TRUE(contains(after.body, "data-testid=\"outbox-counts\">0 sent, 1 waiting, 0 failed"));
}

TEST_P(DataSharingPage, MembersWithoutAdminRoleSeeItReadOnlyAndGet403OnActions) {
  const int64_t out_id = dead_row("sync_outbox", tenant(), "connec.invalid: name is required");
  for (auto role : {tally::Role::member, tally::Role::power_user}) {
    auto who = add_person(std::string(tally::to_string(role)) + "@example.com", role);
    auto b = browser_for(who);
    auto page = b->get("/app/data-sharing");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "connec.invalid: name is required"));  // the reason is visible to everyone
    EXPECT_FALSE(contains(page.body, "data-testid=\"retry-outbox-"));
    EXPECT_EQ(b->post_form("/app/data-sharing/outbox/" + std::to_string(out_id) + "/retry", {}).status, 403);
    EXPECT_EQ(b->post_form("/app/data-sharing/import", {}).status, 403);
  }
  EXPECT_EQ(state_of("sync_outbox", out_id), "dead/3");
}

TEST_P(DataSharingPage, AnotherCompanysRowsAreNeitherShownNorRetried) {
  auto other = app->create_account("other@example.com", "Other");
  const int64_t theirs = dead_row("sync_outbox", tally::sync::tenant_key(other.company_id), "secret reason of Other");
  auto b = browser_for(owner);
  auto page = b->get("/app/data-sharing");
  EXPECT_FALSE(contains(page.body, "secret reason of Other"));
  EXPECT_TRUE(contains(page.body, "data-testid=\"sync-no-problems\""));
  EXPECT_EQ(b->post_form("/app/data-sharing/outbox/" + std::to_string(theirs) + "/retry", {}).status, 404);
  EXPECT_EQ(b->post_form("/app/data-sharing/sideways/1/retry", {}).status, 404);
  EXPECT_EQ(state_of("sync_outbox", theirs), "dead/3");
}

TEST_P(DataSharingPage, CliPrintsTheSameSummary) {
  import_in_progress();
  dead_row("sync_outbox", tenant(), "connec.invalid: name is required");
  std::ostringstream out, err;
  ASSERT_EQ(tally::run_sync_status(*app->db, owner.company_id, app->clock.now(), out, err), 0) << err.str();
  const std::string text = out.str();
  EXPECT_TRUE(contains(text, "Company " + tenant() + "\n")) << text;
  EXPECT_TRUE(contains(text, "Import: pending, 50 of ? records")) << text;
  EXPECT_TRUE(contains(text, "organizations   50/200         25%")) << text;
  EXPECT_TRUE(contains(text, "Outbox: 0 pending, 0 sending, 0 done, 1 dead")) << text;
  EXPECT_TRUE(contains(text, "dead     outbox #")) << text;
  EXPECT_TRUE(contains(text, "customers 17")) << text;
  EXPECT_TRUE(contains(text, "connec.invalid: name is required")) << text;

  // Without --company: every company with sync activity.
  auto other = app->create_account("other@example.com", "Other");
  dead_row("sync_inbox", tally::sync::tenant_key(other.company_id), "sync.waiting: organization unknown");
  std::ostringstream all;
  ASSERT_EQ(tally::run_sync_status(*app->db, std::nullopt, app->clock.now(), all, err), 0);
  EXPECT_TRUE(contains(all.str(), "Company " + tenant() + "\n"));
  EXPECT_TRUE(contains(all.str(), "Company " + tally::sync::tenant_key(other.company_id) + "\n"));
  EXPECT_TRUE(contains(all.str(), "sync.waiting: organization unknown"));

  // A company with nothing yet.
  std::ostringstream none;
  ASSERT_EQ(tally::run_sync_status(*app->db, other.company_id + 100, app->clock.now(), none, err), 0);
  EXPECT_TRUE(contains(none.str(), "Import: none"));
  EXPECT_TRUE(contains(none.str(), "Nothing needs attention."));
}

TEST_P(DataSharingPage, FirstSsoOfAMarketplaceCompanyQueuesItsImport) {
  ASSERT_TRUE(app->db->execute("UPDATE companies SET marketplace = 'maestrano', external_uid = 'cld-77' WHERE id = $1",
                               {owner.company_id}).ok());
  auto company = app->services->companies.get(owner.company_id);
  ASSERT_TRUE(company.ok());
  tally::SsoProvisioned p;
  p.marketplace = "maestrano";
  p.company = *company;
  p.company_created = true;
  app->services->on_company_created(p);
  auto run = mno::sync::latest_import(*app->db, tenant());
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(run->has_value());
  EXPECT_EQ((*run)->state, mno::sync::ImportState::pending);
  ASSERT_EQ((*run)->collections.size(), 4u);
  EXPECT_EQ((*run)->collections[0].collection, "organizations");
  // A second call (a retried hook) does not queue a second run.
  app->services->on_company_created(p);
  auto count = app->db->query("SELECT COUNT(*) FROM sync_import_runs");
  EXPECT_EQ(count->at(0).i64(0), 1);

  // A company created directly in Tally has nothing to import.
  auto local = app->create_account("local@example.com", "Local");
  auto lc = app->services->companies.get(local.company_id);
  p.company = *lc;
  app->services->on_company_created(p);
  EXPECT_FALSE(mno::sync::latest_import(*app->db, tally::sync::tenant_key(local.company_id))->has_value());
}

TALLY_INSTANTIATE_DATABASE_TESTS(DataSharingPage);

}  // namespace
