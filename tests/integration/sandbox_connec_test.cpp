// Integration (real mno-sandbox over loopback, libmno's Connec! client on curl): every list query feature
// ($filter eq/ne/gt/lt/match/and, null, times; $orderby; $top/$skip; pagination.next), upsert on an
// external id, opts.matching_fields, sparse PUT and opts.sparse:false on invoice lines, references
// resolved to full id arrays, batch with a failing op and the 50-op cap, 401s and group isolation,
// injected faults (429 with Retry-After, 5xx, apply-then-drop retried as the same upsert without a
// duplicate), the singular company, seeding, and notifications reaching a loopback receiver for
// changes made by another app but never for the app's own.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "mno/connec/client.hpp"
#include "mno/connec/errors.hpp"
#include "mno/connec/ids.hpp"
#include "mno/connec/notification.hpp"
#include "mno/db/database.hpp"
#include "mno/http/curl_http_client.hpp"
#include "mno/util/base64.hpp"
#include "mno/util/iso8601.hpp"
#include "support/platform/platform_fixture.hpp"
#include "support/platform/process.hpp"
#include "support/test_env.hpp"
#include "web/server.hpp"

using namespace testenv;
using nlohmann::json;
namespace connec = mno::connec;

namespace {

const connec::AppIdentity kTally{"tally", "co-1"};

mno::http::Response control(const std::string& method, const std::string& url, const json& body = nullptr) {
  mno::http::Request r;
  r.method = method;
  r.url = url;
  if (!body.is_null()) {
    r.body = body.dump();
    r.headers = {{"Content-Type", "application/json"}};
  }
  return http_send(r);
}

json ext(const std::string& id) { return connec::make_id_array(id, kTally); }

// The sandbox's state in a fresh SQLite file, or in a PostgreSQL schema of its own (dropped afterwards) so
// its tables never meet Tally's in the shared test database.
struct SandboxConnec : ::testing::TestWithParam<std::string> {
  void SetUp() override {
    if (GetParam() == "sqlite") {
      sandbox = start_sandbox();
    } else {
      if (postgres_url().empty()) {
        if (postgres_required()) FAIL() << "PostgreSQL is required (TALLY_REQUIRE_PG=1) but TALLY_TEST_PG_URL is not set";
        GTEST_SKIP() << "PostgreSQL not configured (set TALLY_TEST_PG_URL, e.g. from scripts/pg-test-cluster)";
      }
      schema = "sbx_connec_" + std::to_string(::getpid());
      auto db = mno::db::open_database(postgres_url());
      ASSERT_TRUE(db) << db.error().message;
      auto made = (*db)->transaction([&](mno::db::Connection& c) {
        return c.execute_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
      });
      ASSERT_TRUE(made) << made.error().message;
      std::string url = postgres_url();
      url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("options=-csearch_path%3D") + schema;
      sandbox = std::make_unique<SandboxProcess>();
      sandbox->port = free_port();
      sandbox->url = "http://127.0.0.1:" + std::to_string(sandbox->port);
      auto dir = temp_dir("sandbox-pg");
      sandbox->process = std::make_unique<Process>(
          SANDBOX_BIN,
          std::vector<std::string>{"--port", std::to_string(sandbox->port), "--database", url, "--log-level", "warn"},
          std::map<std::string, std::string>{}, dir + "/sandbox.log");
      ASSERT_TRUE(sandbox->process->wait_for_port(sandbox->port)) << sandbox->process->output();
      sandbox->state = json::parse(http_get(sandbox->url + "/control/v1/state").body);
    }
    ASSERT_TRUE(sandbox);
    client = std::make_unique<connec::Client>(http, options("maestrano-sandbox"));
  }
  void TearDown() override {
    sandbox.reset();
    if (schema.empty()) return;
    if (auto db = mno::db::open_database(postgres_url()); db) (void)(*db)->execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }
  std::string schema;
  connec::ClientOptions options(const std::string& market) const {
    connec::ClientOptions o;
    o.host = sandbox->url;
    o.api_id = sandbox->api_id(market);
    o.api_key = sandbox->api_key(market);
    o.timeout = std::chrono::milliseconds(2000);
    return o;
  }
  std::string create(const std::string& collection, const json& record, const std::string& group = "cld-1") {
    auto w = client->upsert(group, collection, record);
    EXPECT_TRUE(w) << w.error().message;
    return w ? w->connec_id : "";
  }
  int64_t count(const std::string& group, const std::string& collection) {
    auto res = http_get(sandbox->url + "/control/v1/connec/groups/" + group + "/counts");
    return json::parse(res.body)["counts"].value(collection, int64_t{0});
  }
  std::unique_ptr<SandboxProcess> sandbox;
  mno::http::CurlHttpClient http;
  std::unique_ptr<connec::Client> client;
};

std::vector<std::string> names(const std::vector<json>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.value("name", ""));
  return out;
}

TEST_P(SandboxConnec, ListQueriesFilterOrderAndPage) {
  struct Org { const char* name; bool customer; int revenue; const char* status; };
  for (const Org& o : {Org{"Acme", true, 500, "ACTIVE"}, Org{"Beta Corp", false, 1500, "ACTIVE"},
                       Org{"Cobalt", true, 2500, "ARCHIVED"}, Org{"Delta", true, 100, "ACTIVE"},
                       Org{"acme labs", false, 900, "ACTIVE"}}) {
    json r = {{"name", o.name}, {"is_customer", o.customer}, {"annual_revenue", o.revenue}, {"status", o.status}};
    if (std::string(o.name) == "Delta") r["industry"] = "Retail";
    create("organizations", r);
  }
  auto q = [&](const std::string& filter, const std::string& orderby = "name ASC") {
    connec::ListQuery lq;
    lq.filter = filter;
    lq.orderby = orderby;
    auto all = client->list_all("cld-1", "organizations", lq);
    EXPECT_TRUE(all) << filter << ": " << all.error().message;
    return all ? names(*all) : std::vector<std::string>{};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(q("status eq 'ARCHIVED'"), V({"Cobalt"}));
  EXPECT_EQ(q("status ne 'ARCHIVED'"), V({"Acme", "Beta Corp", "Delta", "acme labs"}));
  EXPECT_EQ(q("annual_revenue gt 900"), V({"Beta Corp", "Cobalt"}));
  EXPECT_EQ(q("annual_revenue lt 900 and is_customer eq true"), V({"Acme", "Delta"}));
  EXPECT_EQ(q("is_customer eq false AND status eq 'ACTIVE'"), V({"Beta Corp", "acme labs"}));
  EXPECT_EQ(q("name match /^acme/i"), V({"Acme", "acme labs"}));
  EXPECT_EQ(q("name match /^acme/"), V({"acme labs"}));
  EXPECT_EQ(q("industry ne null"), V({"Delta"}));
  EXPECT_EQ(q("industry eq null").size(), 4u);
  EXPECT_EQ(q("updated_at gt '2001-01-01T00:00:00Z'").size(), 5u);
  EXPECT_EQ(q("updated_at lt '2001-01-01T00:00:00Z'").size(), 0u);
  EXPECT_EQ(q("", "annual_revenue DESC"), V({"Cobalt", "Beta Corp", "acme labs", "Acme", "Delta"}));
  EXPECT_EQ(q("", ""), V({"Acme", "Beta Corp", "Cobalt", "Delta", "acme labs"}));  // creation order

  // Paging: $top/$skip, total, and next (absolute, on the sandbox's host) until the last page.
  connec::ListQuery lq;
  lq.top = 2;
  lq.orderby = "name DESC";
  auto p1 = client->list("cld-1", "organizations", lq);
  ASSERT_TRUE(p1) << p1.error().message;
  EXPECT_EQ(p1->total, 5);
  EXPECT_EQ(names(p1->records), V({"acme labs", "Delta"}));
  ASSERT_TRUE(p1->next);
  EXPECT_EQ(p1->next->rfind(sandbox->url + "/api/v2/cld-1/organizations?", 0), 0u) << *p1->next;
  auto p2 = client->list_next("cld-1", "organizations", *p1->next);
  ASSERT_TRUE(p2) << p2.error().message;
  EXPECT_EQ(names(p2->records), V({"Cobalt", "Beta Corp"}));
  EXPECT_EQ(p2->skip, 2);
  auto p3 = client->list_next("cld-1", "organizations", *p2->next);
  ASSERT_TRUE(p3);
  EXPECT_EQ(names(p3->records), V({"Acme"}));
  EXPECT_FALSE(p3->next);
  lq = {};
  lq.top = 2;
  lq.skip = 4;
  EXPECT_EQ(client->list("cld-1", "organizations", lq)->records.size(), 1u);
  lq = {};
  lq.filter = "name eq 'Acme'";
  lq.top = 1;
  EXPECT_EQ(client->list_all("cld-1", "organizations", lq)->size(), 1u);

  // A filter the sandbox cannot parse is a 400 naming the problem.
  lq = {};
  lq.filter = "name like 'x'";
  auto bad = client->list("cld-1", "organizations", lq);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "connec.invalid");
}

TEST_P(SandboxConnec, RecordsCarryServerFieldsAndUpsertOnExternalId) {
  json rec = {{"id", ext("17")}, {"name", "Acme"}, {"is_customer", true}};
  auto first = client->upsert("cld-1", "organizations", rec);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->status, 201);
  const json& r = first->record;
  EXPECT_EQ(r["group_id"], "cld-1");
  EXPECT_EQ(r["resource_type"], "organizations");
  EXPECT_EQ(r["channel_id"].get<std::string>().rfind("org-", 0), 0u);
  EXPECT_TRUE(mno::parse_iso8601(r["created_at"].get<std::string>()));
  EXPECT_EQ(r["code"], "OR1");
  EXPECT_EQ(first->connec_id.size(), 36u);
  EXPECT_EQ(connec::find_own_id(r["id"], kTally), "17");
  EXPECT_EQ(r["id"][0]["realm"], r["channel_id"]);

  rec["name"] = "Acme Ltd";
  auto again = client->upsert("cld-1", "organizations", rec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(again->connec_id, first->connec_id);
  EXPECT_EQ(client->get("cld-1", "organizations", first->connec_id)->value("name", ""), "Acme Ltd");
  EXPECT_EQ(count("cld-1", "organizations"), 1);
  // The same local id in another realm (another Tally company) is another record.
  json other = {{"id", connec::make_id_array("17", {"tally", "co-2"})}, {"name", "Other"}};
  EXPECT_EQ(client->upsert("cld-1", "organizations", other)->status, 201);
  // A POST naming the Connec! id updates that record; an unknown Connec! id is a 404.
  json by_connec = {{"id", connec::make_id_array("18", kTally, first->connec_id)}, {"is_supplier", true}};
  auto linked = client->upsert("cld-1", "organizations", by_connec);
  ASSERT_TRUE(linked) << linked.error().message;
  EXPECT_EQ(linked->connec_id, first->connec_id);
  EXPECT_EQ(connec::parse_id_array(linked->record["id"]).size(), 3u);  // connec + 17 + 18
  EXPECT_EQ(client->upsert("cld-1", "organizations", {{"id", connec::make_id_array("19", kTally, "nope")}}).error().code,
            "connec.not_found");
  // A plain-string id on POST is the mock's 409.
  EXPECT_EQ(client->upsert("cld-1", "organizations", {{"id", first->connec_id}}).error().code, "connec.rejected");

  // Link-back PUT adds an id entry; another record cannot take an external id already used.
  auto crm = control("POST", sandbox->url + "/control/v1/connec/groups/cld-1/organizations?as=crm",
                     {{"organizations", {{"name", "From CRM"}}}});
  ASSERT_EQ(crm.status, 201) << crm.body;
  std::string crm_id = connec::find_connec_id(json::parse(crm.body)["organizations"]["id"]).value();
  auto link = client->update("cld-1", "organizations", crm_id, {{"id", ext("40")}});
  ASSERT_TRUE(link) << link.error().message;
  EXPECT_EQ(connec::find_own_id(link->record["id"], kTally), "40");
  EXPECT_EQ(link->record["name"], "From CRM");
  EXPECT_EQ(client->update("cld-1", "organizations", crm_id, {{"id", ext("17")}}).error().code, "connec.rejected");
  EXPECT_EQ(client->get("cld-1", "organizations", "no-such-id").error().code, "connec.not_found");
}

TEST_P(SandboxConnec, MatchingFieldsMergeInsteadOfDuplicating) {
  auto crm = control("POST", sandbox->url + "/control/v1/connec/groups/cld-1/people?as=crm",
                     {{"people", {{"first_name", "Ada"}, {"last_name", "Lovelace"}, {"email", {{"address", "ada@example.com"}}}}}});
  ASSERT_EQ(crm.status, 201) << crm.body;
  std::string existing = connec::find_connec_id(json::parse(crm.body)["people"]["id"]).value();
  json mine = {{"id", ext("p-1")}, {"first_name", "Ada"}, {"last_name", "Lovelace"}, {"job_title", "Analyst"},
               {"opts", {{"matching_fields", {"first_name", "last_name"}}}}};
  auto w = client->upsert("cld-1", "people", mine);
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->status, 200);
  EXPECT_EQ(w->connec_id, existing);
  EXPECT_EQ(w->record["job_title"], "Analyst");
  EXPECT_EQ(w->record["email"]["address"], "ada@example.com");
  EXPECT_FALSE(w->record.contains("opts"));
  EXPECT_EQ(count("cld-1", "people"), 1);
  // No match: a new record.
  mine = {{"id", ext("p-2")}, {"first_name", "Grace"}, {"last_name", "Hopper"},
          {"opts", {{"matching_fields", {"first_name", "last_name"}}}}};
  EXPECT_EQ(client->upsert("cld-1", "people", mine)->status, 201);
  EXPECT_EQ(count("cld-1", "people"), 2);
}

TEST_P(SandboxConnec, SparsePutReferencesAndInvoiceLines) {
  std::string org = create("organizations", {{"id", ext("c-1")}, {"name", "Acme"}});
  std::string item = create("items", {{"id", ext("i-1")}, {"name", "Widget"}});
  json invoice = {{"id", ext("inv-1")},
                  {"transaction_number", "INV-1"},
                  {"title", "First"},
                  {"organization_id", ext("c-1")},
                  {"lines", {{{"id", ext("l-1")}, {"item_id", ext("i-1")}, {"quantity", 2}, {"description", "a"}},
                             {{"id", ext("l-2")}, {"quantity", 1}, {"description", "b"}}}}};
  auto w = client->upsert("cld-1", "invoices", invoice);
  ASSERT_TRUE(w) << w.error().message;
  const json& inv = w->record;
  EXPECT_EQ(connec::find_connec_id(inv["organization_id"]), org);
  EXPECT_EQ(connec::find_own_id(inv["organization_id"], kTally), "c-1");
  ASSERT_EQ(inv["lines"].size(), 2u);
  EXPECT_EQ(connec::find_connec_id(inv["lines"][0]["item_id"]), item);
  EXPECT_EQ(connec::find_own_id(inv["lines"][0]["item_id"], kTally), "i-1");
  EXPECT_TRUE(connec::find_connec_id(inv["lines"][0]["id"]));  // lines get their own Connec! ids
  EXPECT_EQ(connec::find_own_id(inv["lines"][1]["id"], kTally), "l-2");
  // Filtering on a reference by its Connec! id.
  connec::ListQuery lq;
  lq.filter = "organization_id eq '" + org + "'";
  EXPECT_EQ(client->list_all("cld-1", "invoices", lq)->size(), 1u);

  // Sparse PUT: only the sent field changes.
  auto put = client->update("cld-1", "invoices", w->connec_id, {{"title", "Renamed"}});
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->status, 200);
  EXPECT_EQ(put->record["title"], "Renamed");
  EXPECT_EQ(put->record["transaction_number"], "INV-1");
  EXPECT_EQ(put->record["lines"].size(), 2u);
  EXPECT_EQ(connec::find_own_id(put->record["organization_id"], kTally), "c-1");
  // Lines merge by id: the matched line changes, the other stays, a new one is added.
  put = client->update("cld-1", "invoices", w->connec_id,
                       {{"lines", {{{"id", ext("l-2")}, {"quantity", 5}}, {{"id", ext("l-3")}, {"quantity", 1}}}}});
  ASSERT_TRUE(put) << put.error().message;
  ASSERT_EQ(put->record["lines"].size(), 3u);
  EXPECT_EQ(put->record["lines"][1]["quantity"], 5);
  EXPECT_EQ(put->record["lines"][1]["description"], "b");
  EXPECT_EQ(put->record["lines"][0]["quantity"], 2);
  // opts.sparse false: the sent lines are the lines (stored ids kept for the matched one).
  std::string l2_connec = connec::find_connec_id(put->record["lines"][1]["id"]).value();
  put = client->update("cld-1", "invoices", w->connec_id,
                       {{"lines", {{{"id", ext("l-2")}, {"quantity", 6}}}}, {"opts", {{"sparse", false}}}});
  ASSERT_TRUE(put) << put.error().message;
  ASSERT_EQ(put->record["lines"].size(), 1u);
  EXPECT_EQ(connec::find_connec_id(put->record["lines"][0]["id"]), l2_connec);
  EXPECT_EQ(put->record["lines"][0]["quantity"], 6);
  EXPECT_FALSE(put->record["lines"][0].contains("description"));
  // An unchanged PUT keeps updated_at.
  auto before = client->get("cld-1", "invoices", w->connec_id).value();
  auto same = client->update("cld-1", "invoices", w->connec_id, {{"title", "Renamed"}});
  EXPECT_EQ(same->record["updated_at"], before["updated_at"]);
  EXPECT_EQ(client->update("cld-1", "invoices", "nope", {{"title", "x"}}).error().code, "connec.not_found");

  // The singular company: GET before any write is {}, PUT creates then updates.
  EXPECT_TRUE(client->get("cld-1", "company", "")->empty());
  ASSERT_TRUE(client->update("cld-1", "company", "", {{"name", "Tally Demo"}, {"currency", "USD"}}));
  auto company = client->update("cld-1", "company", "", {{"currency", "AUD"}});
  ASSERT_TRUE(company) << company.error().message;
  EXPECT_EQ(company->record["name"], "Tally Demo");
  EXPECT_EQ(company->record["currency"], "AUD");
  EXPECT_EQ(count("cld-1", "company"), 1);
}

TEST_P(SandboxConnec, BatchHasPerOperationResults) {
  std::string org = create("organizations", {{"id", ext("c-1")}, {"name", "Acme"}});
  std::vector<connec::BatchOp> ops = {
      {"post", "cld-1", "people", "", {{"id", ext("p-1")}, {"first_name", "Bob"}}},
      {"put", "cld-1", "organizations", "no-such-record", {{"name", "x"}}},
      {"put", "cld-1", "organizations", org, {{"id", ext("c-1")}, {"is_customer", true}}},
      {"post", "cld-3", "people", "", {{"first_name", "Not mine"}}},  // partner-market's group
      {"post", "cld-1", "people", "", {{"id", ext("p-1")}, {"last_name", "Builder"}}},
  };
  auto results = client->batch(ops);
  ASSERT_TRUE(results) << results.error().message;
  ASSERT_EQ(results->size(), 5u);
  EXPECT_EQ((*results)[0].status, 201);
  EXPECT_EQ((*results)[1].status, 404);
  ASSERT_TRUE((*results)[1].error);
  EXPECT_EQ((*results)[1].error->code, "connec.not_found");
  EXPECT_EQ((*results)[2].status, 200);
  EXPECT_EQ((*results)[2].record["is_customer"], true);
  EXPECT_EQ((*results)[3].status, 401);
  EXPECT_EQ((*results)[4].status, 200);  // upsert on the id the first op created
  EXPECT_EQ((*results)[4].connec_id, (*results)[0].connec_id);
  EXPECT_EQ((*results)[4].record["first_name"], "Bob");
  EXPECT_EQ(count("cld-1", "people"), 1);
  EXPECT_EQ(count("cld-3", "people"), 0);

  // More than 50 ops: the server refuses the whole batch.
  json body = {{"sequential", true}, {"ops", json::array()}};
  for (int i = 0; i < 51; ++i)
    body["ops"].push_back({{"method", "post"}, {"url", "/api/v2/cld-1/people/"}, {"params", {{"people", {{"first_name", "x"}}}}}});
  mno::http::Request r;
  r.method = "POST";
  r.url = sandbox->url + "/batch";
  r.body = body.dump();
  r.headers = {{"Content-Type", "application/json"}};
  r.basic_auth = std::make_pair(sandbox->api_id("maestrano-sandbox"), sandbox->api_key("maestrano-sandbox"));
  auto res = http_send(r);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(json::parse(res.body)["errors"][0]["status"], "400");
  EXPECT_EQ(count("cld-1", "people"), 1);
}

TEST_P(SandboxConnec, CredentialsAndGroupIsolation) {
  std::string org = create("organizations", {{"id", ext("c-1")}, {"name", "Acme"}});
  auto wrong = options("maestrano-sandbox");
  wrong.api_key = "not-the-key";
  connec::Client bad(http, wrong);
  EXPECT_EQ(bad.list("cld-1", "organizations").error().code, "connec.unauthorized");
  EXPECT_EQ(bad.upsert("cld-1", "organizations", {{"name", "x"}}).error().code, "connec.unauthorized");
  EXPECT_EQ(bad.batch({{"post", "cld-1", "people", "", {{"first_name", "x"}}}}).error().code, "connec.unauthorized");
  auto none = http_get(sandbox->url + "/api/v2/cld-1/organizations");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(json::parse(none.body)["errors"][0]["title"], "Unauthorized Access");
  // Another marketplace's app does not have cld-1.
  connec::Client partner(http, options("partner-market"));
  EXPECT_EQ(partner.list("cld-1", "organizations").error().code, "connec.unauthorized");
  EXPECT_EQ(partner.list("cld-nope", "organizations").error().code, "connec.unauthorized");
  EXPECT_TRUE(partner.list("cld-3", "organizations"));
  // Another group of the same app sees none of cld-1's records.
  EXPECT_EQ(client->list("cld-2", "organizations")->total, 0);
  EXPECT_EQ(client->get("cld-2", "organizations", org).error().code, "connec.not_found");
  EXPECT_EQ(client->upsert("cld-2", "organizations", {{"id", ext("c-1")}, {"name", "Acme 2"}})->status, 201);
  EXPECT_EQ(client->get("cld-1", "organizations", org)->value("name", ""), "Acme");
}

TEST_P(SandboxConnec, InjectedFaults) {
  create("organizations", {{"id", ext("c-1")}, {"name", "Acme"}});
  auto add = [&](const json& rule) {
    auto res = control("POST", sandbox->url + "/control/v1/connec/faults", rule);
    ASSERT_EQ(res.status, 201) << res.body;
  };
  add({{"kind", "error"}, {"status", 429}, {"retry_after_s", 7}, {"count", 1}, {"method", "GET"}, {"resource", "organizations"}});
  auto limited = client->list("cld-1", "organizations");
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, "connec.rate_limited");
  EXPECT_EQ(connec::retry_after(limited.error()), std::chrono::seconds(7));
  EXPECT_TRUE(client->list("cld-1", "organizations"));  // count 1: gone

  add({{"kind", "error"}, {"status", 503}, {"count", 2}, {"resource", "batch"}});
  auto down = client->batch({{"post", "cld-1", "people", "", {{"first_name", "x"}}}});
  EXPECT_EQ(down.error().code, "connec.server_error");
  EXPECT_TRUE(client->list("cld-1", "people"));  // other resources unaffected
  EXPECT_EQ(client->batch({{"post", "cld-1", "people", "", {{"first_name", "x"}}}}).error().code, "connec.server_error");
  EXPECT_EQ(count("cld-1", "people"), 0);  // an error fault applies nothing

  auto rules = json::parse(http_get(sandbox->url + "/control/v1/connec/faults").body);
  EXPECT_EQ(rules["faults"].size(), 0u);
  EXPECT_EQ(control("POST", sandbox->url + "/control/v1/connec/faults", {{"kind", "error"}, {"method", "DELETE"}}).status, 400);

  // Applied, then no answer: the client sees an ambiguous write; retrying the same upsert does not duplicate.
  add({{"kind", "drop_after_apply"}, {"count", 1}, {"method", "POST"}, {"resource", "organizations"}, {"hang_ms", 1500}});
  auto fast = options("maestrano-sandbox");
  fast.timeout = std::chrono::milliseconds(300);
  connec::Client impatient(http, fast);
  json rec = {{"id", ext("c-2")}, {"name", "Dropped"}};
  auto lost = impatient.upsert("cld-1", "organizations", rec);
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, "connec.ambiguous");
  auto retried = impatient.upsert("cld-1", "organizations", rec);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried->status, 200);
  EXPECT_EQ(count("cld-1", "organizations"), 2);

  add({{"kind", "latency"}, {"latency_ms", 50}});
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client->list("cld-1", "organizations"));
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(50));
  EXPECT_EQ(control("DELETE", sandbox->url + "/control/v1/connec/faults").status, 200);
}

// A loopback stand-in for Tally's notification endpoint.
struct Receiver {
  struct Call {
    std::string path, authorization;
    json body;
  };
  web::Router router;
  std::unique_ptr<web::Server> server;
  std::mutex mu;
  std::vector<Call> calls;
  uint16_t port = 0;

  Receiver() {
    router.add("POST", "/maestrano/connec/notifications/{market}", [this](web::Request& req) {
      std::lock_guard lock(mu);
      calls.push_back({req.path, req.header("authorization").value_or(""), json::parse(req.body, nullptr, false)});
      return web::Response::json(200, "{}");
    });
    web::ServerOptions o;
    o.access_log = false;
    server = std::make_unique<web::Server>(router, o);
    port = server->start().value();
  }
  // Waits (bounded) until n calls arrived; the sandbox's delivery may be asynchronous.
  std::vector<Call> wait_for(size_t n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mu);
        if (calls.size() >= n) return calls;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard lock(mu);
    return calls;
  }
};

TEST_P(SandboxConnec, NotificationsReachTheAppButNotTheOriginatingApp) {
  Receiver receiver;
  auto host = control("PUT", sandbox->url + "/control/v1/marketplaces/maestrano-sandbox/app-host",
                      {{"app_host", "http://127.0.0.1:" + std::to_string(receiver.port)}});
  ASSERT_EQ(host.status, 200) << host.body;

  // Tally's own writes: never echoed back to Tally.
  std::string own = create("organizations", {{"id", ext("c-1")}, {"name", "Made in Tally"}});
  ASSERT_TRUE(client->batch({{"post", "cld-1", "people", "", {{"id", ext("p-1")}, {"first_name", "Tally"}}}}));
  // Another app's writes, in two collections and two groups, reach it in one request.
  auto a = control("POST", sandbox->url + "/control/v1/connec/groups/cld-1/organizations?as=crm",
                   {{"organizations", {{"name", "From CRM"}}}});
  ASSERT_EQ(a.status, 201) << a.body;
  auto b = control("POST", sandbox->url + "/control/v1/connec/groups/cld-2/people?as=crm",
                   {{"people", {{"first_name", "Other"}, {"last_name", "Group"}}}});
  ASSERT_EQ(b.status, 201) << b.body;
  auto flushed = control("POST", sandbox->url + "/control/v1/connec/notifications/flush");
  ASSERT_EQ(flushed.status, 200) << flushed.body;

  auto calls = receiver.wait_for(1);
  ASSERT_EQ(calls.size(), 1u);
  const auto& call = calls[0];
  EXPECT_EQ(call.path, "/maestrano/connec/notifications/maestrano-sandbox");
  EXPECT_EQ(call.authorization, "Basic " + mno::base64_encode(sandbox->api_id("maestrano-sandbox") + ":" +
                                                               sandbox->api_key("maestrano-sandbox")));
  ASSERT_TRUE(call.body.is_object()) << call.body;
  ASSERT_EQ(call.body["organizations"].size(), 1u) << call.body;
  EXPECT_EQ(call.body["organizations"][0]["name"], "From CRM");
  EXPECT_EQ(call.body["organizations"][0]["group_id"], "cld-1");
  ASSERT_EQ(call.body["people"].size(), 1u) << call.body;
  EXPECT_EQ(call.body["people"][0]["group_id"], "cld-2");
  EXPECT_EQ(call.body.dump().find("Made in Tally"), std::string::npos);

  // Another app edits Tally's record: now Tally hears of it, with its own id in the id array.
  auto edit = control("PUT", sandbox->url + "/control/v1/connec/groups/cld-1/organizations/" + own + "?as=crm",
                      {{"organizations", {{"phone", {{"landline", "123"}}}}}});
  ASSERT_EQ(edit.status, 200) << edit.body;
  control("POST", sandbox->url + "/control/v1/connec/notifications/flush");
  calls = receiver.wait_for(2);
  ASSERT_EQ(calls.size(), 2u);
  ASSERT_EQ(calls[1].body["organizations"].size(), 1u);
  EXPECT_EQ(connec::find_own_id(calls[1].body["organizations"][0]["id"], kTally), "c-1");
  EXPECT_EQ(calls[1].body["organizations"][0]["phone"]["landline"], "123");
  // The parsed form is what libmno's notification parser accepts.
  auto parsed = connec::parse_notification(calls[0].body.dump());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->entities.size(), 2u);
}

TEST_P(SandboxConnec, SeedingGeneratesLinkedRecords) {
  auto res = control("POST", sandbox->url + "/control/v1/connec/groups/cld-2/seed",
                     {{"counts", {{"organizations", 10}, {"items", 5}, {"invoices", 201}, {"tax_codes", 3}}}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["created"]["invoices"], 201);
  auto counts = json::parse(http_get(sandbox->url + "/control/v1/connec/groups/cld-2/counts").body);
  EXPECT_EQ(counts["counts"]["invoices"], 201);
  EXPECT_EQ(counts["total"], 219);
  connec::ListQuery lq;
  lq.top = 100;
  size_t pages = 0, records = 0;
  auto s = client->for_each_page("cld-2", "invoices", lq, [&](const connec::Page& p) -> mno::Status {
    ++pages;
    records += p.records.size();
    return {};
  });
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(pages, 3u);
  EXPECT_EQ(records, 201u);
  auto first = client->list("cld-2", "invoices", lq)->records.at(0);
  EXPECT_EQ(first["lines"].size(), 2u);
  auto org = connec::find_connec_id(first["organization_id"]);
  ASSERT_TRUE(org);
  EXPECT_TRUE(client->get("cld-2", "organizations", *org));
  EXPECT_EQ(control("POST", sandbox->url + "/control/v1/connec/groups/cld-nope/seed", json::object()).status, 404);
  EXPECT_EQ(control("POST", sandbox->url + "/control/v1/connec/groups/cld-2/seed", {{"counts", {{"Bad Name", 1}}}}).status, 400);
}

INSTANTIATE_TEST_SUITE_P(Databases, SandboxConnec, ::testing::ValuesIn(database_kinds()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
