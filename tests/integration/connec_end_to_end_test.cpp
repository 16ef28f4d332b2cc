// Connec! data sharing end to end over loopback, on SQLite and PostgreSQL: a real mno-sandbox (as IdP and
// as Connec!) and real tally processes (`serve`, and `worker` where a test kills or multiplies workers).
// The user arrives by SSO through the sandbox IdP with a cookie-keeping client, then works through Tally's
// JSON API with the session and its CSRF token, as the UI's forms would; "another app" of the group writes
// through the sandbox's control API, and the sandbox's buffered notifications are flushed on demand.
// Each test checks both ends: Tally's database and the Connec! records the sandbox holds.
//   checklist 3.1.1 (import at first SSO), 3.2.1 and 3.2.2 (push of creates and updates, no duplicate),
//   3.3.1 and 3.3.2 (notifications create and update), references out of order, a conflict, injected faults
//   including "apply then drop" (exactly one Connec! record per Tally record), SIGKILL of the worker while
//   1,000 changes drain, a notification delivered twice, two tenants with identical local ids (checklist 4),
//   and on PostgreSQL three worker processes sending each outbox row exactly once (the sandbox counts writes).
// Waiting: these are real processes exchanging real HTTP, so the test polls with a deadline for the
// outcome; nothing waits a fixed time except the conflict test's one step past Connec!'s clock.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "mno/db/database.hpp"
#include "support/platform/browser.hpp"
#include "support/platform/platform_fixture.hpp"
#include "support/test_database.hpp"
#include "support/test_env.hpp"

using namespace testenv;
using nlohmann::json;

namespace {

constexpr const char* kMarket = "maestrano-sandbox";
constexpr const char* kPartner = "partner-market";

// Polls until pred() holds or the deadline passes; returns the last answer.
template <class Pred>
bool eventually(Pred pred, std::chrono::seconds deadline = std::chrono::seconds(60)) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

// One tally instance: its database, its port and the process(es) serving it.
struct TallyInstance {
  TestDatabase db;
  uint16_t port = 0;
  std::string url;
  std::string dir;
  std::unique_ptr<Process> web;
  std::vector<std::unique_ptr<Process>> workers;
  int worker_starts = 0;

  std::vector<mno::db::Row> rows(const std::string& sql, const std::vector<mno::db::Value>& params = {}) const {
    auto r = db.db->query(sql, params);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : std::vector<mno::db::Row>{};
  }
  int64_t scalar(const std::string& sql, const std::vector<mno::db::Value>& params = {}) const {
    auto r = rows(sql, params);
    return r.empty() ? -1 : r[0].i64("n");
  }
};

// The signed-in user of one tally: the browser and the session's CSRF token for the JSON API.
struct User {
  Browser browser;
  std::string tally_url;
  std::string csrf;

  mno::http::Response api(const std::string& method, const std::string& path, const json& body = nullptr) {
    std::vector<std::pair<std::string, std::string>> headers{{"X-CSRF-Token", csrf}, {"Accept", "application/json"}};
    return browser.send(method, tally_url + path, body.is_null() ? "" : body.dump(), body.is_null() ? "" : "application/json",
                        headers);
  }
  json create(const std::string& collection, const json& body) {
    auto r = api("POST", "/api/v1/" + collection, body);
    EXPECT_EQ(r.status, 201) << collection << ": " << r.body;
    return r.status == 201 ? json::parse(r.body)["data"] : json::object();
  }
  json update(const std::string& collection, int64_t id, json body) {
    auto r = api("PUT", "/api/v1/" + collection + "/" + std::to_string(id), body);
    EXPECT_EQ(r.status, 200) << collection << " " << id << ": " << r.body;
    return r.status == 200 ? json::parse(r.body)["data"] : json::object();
  }
};

class ConnecEndToEnd : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    primary_ = make_instance();
    if (!primary_ && !HasFailure()) GTEST_SKIP() << "PostgreSQL not configured (TALLY_TEST_PG_URL)";
    if (!primary_) return;
    sandbox_ = start_sandbox(primary_->url, {"--connec-notify-ms", "60000"});  // flushed by the tests
    ASSERT_TRUE(sandbox_);
  }

  // A tally database of this test's kind; nullptr when it is not available (the test has failed when it
  // is required).
  std::unique_ptr<TallyInstance> make_instance() {
    auto t = std::make_unique<TallyInstance>();
    t->db = create_test_database(GetParam());
    if (!t->db.db) {
      if (GetParam() == "postgresql" && (postgres_required() || !t->db.error.empty()))
        ADD_FAILURE() << "PostgreSQL required: " << (t->db.error.empty() ? "TALLY_TEST_PG_URL is not set" : t->db.error);
      else if (!t->db.error.empty())
        ADD_FAILURE() << t->db.error;
      return nullptr;  // not configured: the caller skips
    }
    t->port = free_port();
    t->url = "http://127.0.0.1:" + std::to_string(t->port);
    t->dir = temp_dir("connec-e2e");
    return t;
  }

  // The marketplaces file for a tally: the sandbox's descriptions of the named marketplaces.
  std::string marketplaces_file(const TallyInstance& t, const std::vector<std::string>& names) {
    json file{{"marketplaces", json::array()}};
    for (const auto& name : names) file["marketplaces"].push_back(json::parse(http_get(sandbox_->url + "/control/v1/marketplaces/" + name).body));
    std::ofstream(t.dir + "/marketplaces.json") << file.dump();
    return t.dir + "/marketplaces.json";
  }
  std::vector<std::string> app_args(TallyInstance& t, const std::vector<std::string>& markets) {
    return {"--database", t.db.url, "--marketplaces", marketplaces_file(t, markets), "--log-level", "info",
            "--sync-lease-seconds", "2"};
  }

  // `tally serve`; with_worker = false leaves the background jobs to `tally worker` processes.
  void serve(TallyInstance& t, bool with_worker = true, const std::vector<std::string>& markets = {kMarket, kPartner}) {
    auto args = app_args(t, markets);
    args.insert(args.begin(), {"serve", "--port", std::to_string(t.port), "--no-access-log"});
    if (!with_worker) args.push_back("--no-worker");
    t.web = std::make_unique<Process>(TALLY_BIN, args, std::map<std::string, std::string>{}, t.dir + "/serve.log");
    ASSERT_TRUE(t.web->wait_for_port(t.port)) << "tally did not start:\n" << t.web->output();
  }
  // One more `tally worker` process on t's database.
  Process& start_worker(TallyInstance& t) {
    auto args = app_args(t, {kMarket, kPartner});
    args.insert(args.begin(), "worker");
    t.workers.push_back(std::make_unique<Process>(TALLY_BIN, args, std::map<std::string, std::string>{},
                                                  t.dir + "/worker-" + std::to_string(++t.worker_starts) + ".log"));
    return *t.workers.back();
  }

  // SSO as the user into the group; the user is then in the app with a CSRF token for the API.
  std::unique_ptr<User> sign_in(const TallyInstance& t, const std::string& market, const std::string& user_uid,
                                const std::string& group_uid) {
    auto u = std::make_unique<User>();
    u->tally_url = t.url;
    u->browser.idp_login(*sandbox_, user_uid);
    auto page = u->browser.launch(t.url, market, group_uid, group_uid);
    EXPECT_EQ(page.status(), 200) << page.url << "\n" << page.body();
    EXPECT_EQ(page.url.rfind(t.url + "/app", 0), 0u) << page.url;
    u->csrf = u->browser.csrf_token(t.url);
    return u;
  }

  mno::http::Response control(const std::string& method, const std::string& path, const json& body = nullptr) {
    return sandbox_control(*sandbox_, method, path, body);
  }
  // Every record of a Connec! collection of a group (control API, up to 5,000).
  std::vector<json> connec_records(const std::string& group, const std::string& collection) {
    std::vector<json> all;
    for (int skip = 0;; skip += 1000) {
      auto page = json::parse(control("GET", "/control/v1/connec/groups/" + group + "/" + collection + "?%24top=1000&%24skip=" +
                                                 std::to_string(skip)).body);
      for (auto& r : page[collection]) all.push_back(r);
      if (page[collection].size() < 1000 || skip > 4000) return all;
    }
  }
  int64_t connec_count(const std::string& group, const std::string& collection) {
    auto j = json::parse(control("GET", "/control/v1/connec/groups/" + group + "/counts").body);
    return j["counts"].value(collection, int64_t{0});
  }
  int64_t connec_writes(const std::string& group, const std::string& app, const std::string& collection) {
    auto j = json::parse(control("GET", "/control/v1/connec/groups/" + group + "/counts").body);
    return j["writes"].contains(app) ? j["writes"][app].value(collection, int64_t{0}) : 0;
  }
  // "Another app" of the group writing to Connec!; returns the record.
  json other_app_write(const std::string& method, const std::string& group, const std::string& collection, const json& record,
                       const std::string& connec_id = "") {
    auto path = "/control/v1/connec/groups/" + group + "/" + collection + (connec_id.empty() ? "" : "/" + connec_id) + "?as=crm";
    return json::parse(control(method, path, {{collection, record}}).body)[collection];
  }
  void flush_notifications() { control("POST", "/control/v1/connec/notifications/flush"); }

  // The Connec! id array entry of an app or of Connec! itself.
  static std::string id_of(const json& record, const std::string& provider, std::string* realm = nullptr) {
    for (const auto& e : record["id"])
      if (e.value("provider", "") == provider) {
        if (realm) *realm = e.value("realm", "");
        return e.value("id", "");
      }
    return "";
  }
  static std::optional<json> with_name(const std::vector<json>& records, const std::string& name) {
    for (const auto& r : records)
      if (r.value("name", "") == name) return r;
    return std::nullopt;
  }

  // Tally's view.
  int64_t company_of(const TallyInstance& t, const std::string& market, const std::string& group) {
    auto r = t.rows("SELECT id FROM companies WHERE marketplace = $1 AND external_uid = $2", {market, group});
    return r.empty() ? -1 : r[0].i64("id");
  }
  int64_t records_in(const TallyInstance& t, const std::string& table, int64_t company) {
    return t.scalar("SELECT COUNT(*) AS n FROM " + table + " WHERE company_id = $1", {company});
  }
  int64_t unfinished_outbox(const TallyInstance& t) {
    return t.scalar("SELECT COUNT(*) AS n FROM sync_outbox WHERE state <> 'done'");
  }
  std::string connec_id_of(const TallyInstance& t, const std::string& entity, int64_t local_id) {
    auto r = t.rows("SELECT connec_id FROM sync_id_map WHERE entity = $1 AND local_id = $2", {entity, std::to_string(local_id)});
    return r.empty() || r[0].is_null("connec_id") ? "" : r[0].text("connec_id");
  }
  // A diagnostic for failed waits: the outbox and inbox rows that are not done.
  std::string sync_state(const TallyInstance& t) {
    std::string out;
    for (const auto& r : t.rows("SELECT id, entity, local_id, state, attempts, last_error FROM sync_outbox WHERE state <> 'done' "
                                "ORDER BY id LIMIT 10"))
      out += "outbox #" + std::to_string(r.i64("id")) + " " + r.text("entity") + " " + r.text("local_id") + " " + r.text("state") +
             " attempts " + std::to_string(r.i64("attempts")) + " " + (r.is_null("last_error") ? "" : r.text("last_error")) + "\n";
    for (const auto& r : t.rows("SELECT id, collection, state, attempts, last_error FROM sync_inbox WHERE state <> 'done' ORDER BY id LIMIT 10"))
      out += "inbox #" + std::to_string(r.i64("id")) + " " + r.text("collection") + " " + r.text("state") + " " +
             (r.is_null("last_error") ? "" : r.text("last_error")) + "\n";
    return out;
  }

  std::unique_ptr<TallyInstance> primary_;
  std::unique_ptr<SandboxProcess> sandbox_;
};

TEST_P(ConnecEndToEnd, FirstSsoImportsThenChangesFlowBothWays) {  // 3.1.1, 3.2.1, 3.2.2, 3.3.1, 3.3.2
  // The group already shares data through other apps.
  control("POST", "/control/v1/connec/groups/cld-1/seed",
          {{"counts", {{"organizations", 12}, {"people", 20}, {"items", 8}, {"invoices", 10}}}});
  serve(*primary_);
  auto user = sign_in(*primary_, kMarket, "usr-1", "cld-1");
  int64_t company = company_of(*primary_, kMarket, "cld-1");
  ASSERT_GT(company, 0);

  // 3.1.1: the import runs in the background and ends with every shared record in Tally.
  ASSERT_TRUE(eventually([&] {
    return records_in(*primary_, "customers", company) == 12 && records_in(*primary_, "contacts", company) == 20 &&
           records_in(*primary_, "products", company) == 8 && records_in(*primary_, "invoices", company) == 10;
  })) << sync_state(*primary_);
  // Imported invoices keep their references: every invoice has its customer, and lines their product.
  EXPECT_EQ(primary_->scalar("SELECT COUNT(*) AS n FROM invoices WHERE company_id = $1 AND customer_id IS NULL", {company}), 0);
  EXPECT_GT(primary_->scalar("SELECT COUNT(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id "
                             "WHERE i.company_id = $1 AND l.product_id IS NOT NULL", {company}), 0);
  auto page = user->browser.go("GET", primary_->url + "/app/data-sharing");
  EXPECT_EQ(page.status(), 200);
  EXPECT_NE(page.body().find("data-testid=\"import-organizations-count\">12 / 12"), std::string::npos)
      << "organizations done of total on the progress bar";
  // Nothing imported goes back out (no echo).
  EXPECT_EQ(primary_->scalar("SELECT COUNT(*) AS n FROM sync_outbox"), 0);

  // 3.2.1: a customer, a product and an invoice created in Tally reach Connec!, references folded.
  auto customer = user->create("customers", {{"name", "Globex"}, {"email", "ap@globex.test"}});
  auto product = user->create("products", {{"name", "Consulting"}, {"sale_price", "100.00"}, {"tax_rate", "10"}});
  auto invoice = user->create("invoices", {{"customer_id", customer["id"]},
                                           {"lines", {{{"product_id", product["id"]}, {"quantity", "2"}},
                                                      {{"description", "Travel"}, {"quantity", "1"}, {"unit_price", "50.00"}}}}});
  ASSERT_TRUE(eventually([&] { return unfinished_outbox(*primary_) == 0 && !connec_id_of(*primary_, "invoice", invoice["id"]).empty(); }))
      << sync_state(*primary_);
  auto orgs = connec_records("cld-1", "organizations");
  EXPECT_EQ(orgs.size(), 13u);
  auto globex = with_name(orgs, "Globex");
  ASSERT_TRUE(globex);
  EXPECT_EQ(id_of(*globex, "connec"), connec_id_of(*primary_, "customer", customer["id"]));
  std::string realm;
  EXPECT_EQ(id_of(*globex, "tally", &realm), std::to_string(customer["id"].get<int64_t>()));
  EXPECT_EQ(realm, std::to_string(company));
  auto pushed = json::parse(control("GET", "/control/v1/connec/groups/cld-1/invoices/" + connec_id_of(*primary_, "invoice", invoice["id"])).body)["invoices"];
  EXPECT_EQ(id_of(json{{"id", pushed.value("organization_id", json::array())}}, "connec"), id_of(*globex, "connec"))
      << "the invoice points at Globex's Connec! id";
  ASSERT_EQ(pushed["lines"].size(), 2u);
  EXPECT_EQ(pushed.value("type", ""), "CUSTOMER");

  // 3.2.2: an update changes the same Connec! record.
  user->update("customers", customer["id"], {{"name", "Globex Corporation"}, {"email", "ap@globex.test"}, {"version", customer["version"]}});
  ASSERT_TRUE(eventually([&] { return with_name(connec_records("cld-1", "organizations"), "Globex Corporation").has_value(); }))
      << sync_state(*primary_);
  EXPECT_EQ(connec_count("cld-1", "organizations"), 13);

  // 3.3.1: another app creates an organization; the notification creates the customer and its id map entry.
  auto initech = other_app_write("POST", "cld-1", "organizations", {{"name", "Initech"}, {"is_customer", true}});
  flush_notifications();
  ASSERT_TRUE(eventually([&] {
    return primary_->scalar("SELECT COUNT(*) AS n FROM customers WHERE company_id = $1 AND name = 'Initech'", {company}) == 1;
  })) << sync_state(*primary_);
  auto local = primary_->rows("SELECT id FROM customers WHERE company_id = $1 AND name = 'Initech'", {company})[0].i64("id");
  EXPECT_EQ(connec_id_of(*primary_, "customer", local), id_of(initech, "connec"));

  // 3.3.2: its update updates the same customer.
  other_app_write("PUT", "cld-1", "organizations", {{"name", "Initech LLC"}}, id_of(initech, "connec"));
  flush_notifications();
  ASSERT_TRUE(eventually([&] {
    return primary_->scalar("SELECT COUNT(*) AS n FROM customers WHERE id = $1 AND name = 'Initech LLC'", {local}) == 1;
  })) << sync_state(*primary_);
  EXPECT_EQ(records_in(*primary_, "customers", company), 14);
  // Applying inbound changes wrote nothing to the outbox (no echo).
  EXPECT_EQ(primary_->scalar("SELECT COUNT(*) AS n FROM sync_outbox WHERE entity = 'customer' AND local_id = $1", {std::to_string(local)}), 0);
}

TEST_P(ConnecEndToEnd, AReferenceArrivingLaterMakesTheRecordWaitNotDisappear) {
  serve(*primary_);
  auto user = sign_in(*primary_, kMarket, "usr-1", "cld-1");
  int64_t company = company_of(*primary_, kMarket, "cld-1");
  ASSERT_TRUE(eventually([&] { return primary_->scalar("SELECT COUNT(*) AS n FROM sync_import_runs WHERE state = 'done'") == 1; }));
  // The organization exists in Connec! but Tally is not told (seeded without a notification); a person
  // pointing at it is.
  control("POST", "/control/v1/connec/groups/cld-1/seed", {{"counts", {{"organizations", 1}}}});
  auto org = connec_records("cld-1", "organizations").at(0);
  other_app_write("POST", "cld-1", "people",
                  {{"first_name", "Peter"}, {"last_name", "Gibbons"}, {"organization_id", org["id"]}});
  flush_notifications();
  ASSERT_TRUE(eventually([&] {
    return primary_->scalar("SELECT COUNT(*) AS n FROM sync_inbox WHERE collection = 'people' AND last_error LIKE 'sync.waiting%'") == 1 ||
           primary_->scalar("SELECT COUNT(*) AS n FROM contacts WHERE company_id = $1", {company}) == 1;
  })) << sync_state(*primary_);
  // Then the organization changes and its notification arrives: both are applied, linked.
  other_app_write("PUT", "cld-1", "organizations", {{"name", "Initrode"}}, id_of(org, "connec"));
  flush_notifications();
  ASSERT_TRUE(eventually([&] {
    return primary_->scalar("SELECT COUNT(*) AS n FROM contacts c JOIN customers k ON k.id = c.customer_id "
                            "WHERE c.company_id = $1 AND c.last_name = 'Gibbons' AND k.name = 'Initrode'", {company}) == 1;
  })) << sync_state(*primary_);
  EXPECT_EQ(primary_->scalar("SELECT COUNT(*) AS n FROM sync_inbox WHERE state <> 'done'"), 0) << sync_state(*primary_);
  (void)user;
}

TEST_P(ConnecEndToEnd, WhenBothSidesChangedTheNewerChangeWins) {
  serve(*primary_);
  auto user = sign_in(*primary_, kMarket, "usr-1", "cld-1");
  auto customer = user->create("customers", {{"name", "Hooli"}});
  ASSERT_TRUE(eventually([&] { return !connec_id_of(*primary_, "customer", customer["id"]).empty(); })) << sync_state(*primary_);
  std::string connec_id = connec_id_of(*primary_, "customer", customer["id"]);
  // Connec! refuses Tally's writes for a while, so Tally's edit stays unsent...
  control("POST", "/control/v1/connec/faults", {{"kind", "error"}, {"status", 503}, {"method", "POST"}});
  user->update("customers", customer["id"], {{"name", "Hooli (Tally edit)"}, {"version", customer["version"]}});
  ASSERT_TRUE(eventually([&] {
    return primary_->scalar("SELECT COUNT(*) AS n FROM sync_outbox WHERE state = 'pending' AND attempts > 0") >= 1;
  })) << sync_state(*primary_);
  // ...while another app edits the same organization later. "Newer" is compared with Connec!'s whole-second
  // stamp, so the edit comes in a later second than Tally's for the order to be visible at all.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  other_app_write("PUT", "cld-1", "organizations", {{"name", "Hooli (CRM edit)"}}, connec_id);
  flush_notifications();
  // The newer Connec! change wins in Tally, and the superseded local change is not pushed over it.
  ASSERT_TRUE(eventually([&] {
    return primary_->scalar("SELECT COUNT(*) AS n FROM customers WHERE id = $1 AND name = 'Hooli (CRM edit)'", {customer["id"].get<int64_t>()}) == 1;
  })) << sync_state(*primary_);
  control("DELETE", "/control/v1/connec/faults");
  ASSERT_TRUE(eventually([&] { return unfinished_outbox(*primary_) == 0; })) << sync_state(*primary_);
  auto remote = json::parse(control("GET", "/control/v1/connec/groups/cld-1/organizations/" + connec_id).body)["organizations"];
  EXPECT_EQ(remote.value("name", ""), "Hooli (CRM edit)");
  EXPECT_NE(primary_->web->output().find("event=sync.conflict"), std::string::npos) << "the loser is logged";
}

TEST_P(ConnecEndToEnd, InjectedFaultsStillEndInExactlyOneConnecRecordPerTallyRecord) {
  serve(*primary_);
  auto user = sign_in(*primary_, kMarket, "usr-1", "cld-1");
  // Applied then the connection dropped (twice), server errors, and a rate limit with Retry-After.
  for (const json& rule : {json{{"kind", "drop_after_apply"}, {"method", "POST"}, {"count", 2}},
                           json{{"kind", "error"}, {"status", 503}, {"method", "POST"}, {"count", 2}},
                           json{{"kind", "error"}, {"status", 429}, {"retry_after_s", 1}, {"method", "POST"}, {"count", 1}}})
    control("POST", "/control/v1/connec/faults", rule);
  std::vector<int64_t> ids;
  for (int i = 1; i <= 8; ++i) ids.push_back(user->create("customers", {{"name", "Faulty " + std::to_string(i)}})["id"]);
  ASSERT_TRUE(eventually([&] { return unfinished_outbox(*primary_) == 0; }, std::chrono::seconds(90))) << sync_state(*primary_);
  auto orgs = connec_records("cld-1", "organizations");
  EXPECT_EQ(orgs.size(), 8u);
  for (int i = 1; i <= 8; ++i) EXPECT_TRUE(with_name(orgs, "Faulty " + std::to_string(i))) << i;
  for (auto id : ids) EXPECT_FALSE(connec_id_of(*primary_, "customer", id).empty()) << id;
  EXPECT_EQ(json::parse(control("GET", "/control/v1/connec/faults").body)["faults"].size(), 0u) << "every fault fired";
}

TEST_P(ConnecEndToEnd, ANotificationDeliveredTwiceHasOneEffect) {
  serve(*primary_);
  auto user = sign_in(*primary_, kMarket, "usr-1", "cld-1");
  int64_t company = company_of(*primary_, kMarket, "cld-1");
  control("POST", "/control/v1/connec/groups/cld-1/seed", {{"counts", {{"items", 1}}}});
  auto item = connec_records("cld-1", "items").at(0);
  item["group_id"] = "cld-1";
  std::string body = json{{"items", json::array({item})}}.dump();
  auto post = [&](std::optional<std::pair<std::string, std::string>> creds, const std::string& b) {
    mno::http::Request r;
    r.method = "POST";
    r.url = primary_->url + "/maestrano/connec/notifications/" + kMarket;
    r.body = b;
    r.basic_auth = std::move(creds);
    r.headers = {{"Content-Type", "application/json"}};
    r.timeout = std::chrono::seconds(10);
    return http_send(r);
  };
  auto creds = std::pair{sandbox_->api_id(kMarket), sandbox_->api_key(kMarket)};
  auto first = post(creds, body);
  ASSERT_EQ(first.status, 200) << first.body;
  auto second = post(creds, body);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(json::parse(second.body).value("duplicates", -1), 1) << second.body;
  // Another marketplace's credentials and a body that is not JSON change nothing.
  EXPECT_EQ(post(std::pair{sandbox_->api_id(kPartner), sandbox_->api_key(kPartner)}, body).status, 401);
  EXPECT_EQ(post(creds, "{\"items\": [").status, 400);
  ASSERT_TRUE(eventually([&] { return records_in(*primary_, "products", company) == 1 &&
                                      primary_->scalar("SELECT COUNT(*) AS n FROM sync_inbox WHERE state <> 'done'") == 0; }))
      << sync_state(*primary_);
  EXPECT_EQ(primary_->scalar("SELECT COUNT(*) AS n FROM sync_inbox WHERE collection = 'items'"), 1);
  EXPECT_EQ(records_in(*primary_, "products", company), 1);
  (void)user;
}

TEST_P(ConnecEndToEnd, TwoTenantsWithIdenticalLocalIdsStaySeparate) {  // checklist 4
  // Two Tally installations, one per marketplace, each with its own database: their first company and
  // first customer both have id 1, so both push the external id {1, tally, realm 1}.
  auto second = make_instance();
  ASSERT_TRUE(second);
  control("PUT", std::string("/control/v1/marketplaces/") + kPartner + "/app-host", {{"app_host", second->url}});
  serve(*primary_, true, {kMarket});
  serve(*second, true, {kPartner});
  auto a = sign_in(*primary_, kMarket, "usr-1", "cld-1");
  auto b = sign_in(*second, kPartner, "usr-1", "cld-3");
  auto ca = a->create("customers", {{"name", "Tenant A customer"}});
  auto cb = b->create("customers", {{"name", "Tenant B customer"}});
  ASSERT_EQ(ca["id"], cb["id"]);
  ASSERT_EQ(company_of(*primary_, kMarket, "cld-1"), company_of(*second, kPartner, "cld-3"));
  ASSERT_TRUE(eventually([&] { return unfinished_outbox(*primary_) == 0 && unfinished_outbox(*second) == 0 &&
                                      !connec_id_of(*primary_, "customer", ca["id"]).empty() &&
                                      !connec_id_of(*second, "customer", cb["id"]).empty(); }))
      << sync_state(*primary_) << sync_state(*second);
  auto in_a = connec_records("cld-1", "organizations");
  auto in_b = connec_records("cld-3", "organizations");
  ASSERT_EQ(in_a.size(), 1u);
  ASSERT_EQ(in_b.size(), 1u);
  EXPECT_EQ(in_a[0].value("name", ""), "Tenant A customer");
  EXPECT_EQ(in_b[0].value("name", ""), "Tenant B customer");
  std::string realm_a, realm_b;
  EXPECT_EQ(id_of(in_a[0], "tally", &realm_a), id_of(in_b[0], "tally", &realm_b));
  EXPECT_EQ(realm_a, realm_b);
  EXPECT_NE(id_of(in_a[0], "connec"), id_of(in_b[0], "connec"));
  // Another app's change in tenant A reaches A only, even when made in the very second of Tally's push.
  other_app_write("PUT", "cld-1", "organizations", {{"name", "Changed in A"}}, id_of(in_a[0], "connec"));
  flush_notifications();
  ASSERT_TRUE(eventually([&] { return primary_->scalar("SELECT COUNT(*) AS n FROM customers WHERE name = 'Changed in A'") == 1; }))
      << sync_state(*primary_);
  EXPECT_EQ(second->scalar("SELECT COUNT(*) AS n FROM customers WHERE name = 'Tenant B customer'"), 1);
  EXPECT_EQ(second->scalar("SELECT COUNT(*) AS n FROM sync_inbox"), 0);
}

TEST_P(ConnecEndToEnd, WorkersKilledWithSigkillWhileAThousandChangesDrainLoseAndDuplicateNothing) {
  serve(*primary_, /*with_worker=*/false);
  auto user = sign_in(*primary_, kMarket, "usr-1", "cld-1");
  // 600 new customers and 400 updates of them: 1,000 changes waiting in the outbox.
  std::vector<json> customers;
  for (int i = 0; i < 600; ++i) customers.push_back(user->create("customers", {{"name", "Bulk " + std::to_string(i)}}));
  for (int i = 0; i < 400; ++i)
    customers[i] = user->update("customers", customers[i]["id"], {{"name", "Bulk " + std::to_string(i) + " v2"}, {"version", customers[i]["version"]}});
  // An update of a record whose create is not sent yet joins that pending row (coalescing): 600 rows.
  ASSERT_EQ(primary_->scalar("SELECT COUNT(*) AS n FROM sync_outbox WHERE state = 'pending'"), 600);

  std::random_device seed_source;
  const unsigned seed = seed_source();
  SCOPED_TRACE("kill schedule seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pause_ms(50, 400);
  for (int kill = 0; kill < 4 && unfinished_outbox(*primary_) > 0; ++kill) {
    auto& worker = start_worker(*primary_);
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));  // a random moment of the drain
    worker.kill_now();
  }
  start_worker(*primary_);  // the last restart, left to finish
  ASSERT_TRUE(eventually([&] { return unfinished_outbox(*primary_) == 0; }, std::chrono::seconds(120))) << sync_state(*primary_);
  EXPECT_EQ(primary_->scalar("SELECT COUNT(*) AS n FROM sync_outbox WHERE state = 'dead'"), 0);
  auto orgs = connec_records("cld-1", "organizations");
  ASSERT_EQ(orgs.size(), 600u) << "one Connec! record per customer";
  std::map<std::string, std::string> by_tally_id;
  for (const auto& o : orgs) by_tally_id[id_of(o, "tally")] = o.value("name", "");
  for (const auto& c : customers)
    EXPECT_EQ(by_tally_id[std::to_string(c["id"].get<int64_t>())], c["name"].get<std::string>()) << "the latest version of each";
}

TEST_P(ConnecEndToEnd, ThreeWorkerProcessesSendEachOutboxRowExactlyOnce) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "several processes share one outbox on PostgreSQL";
  serve(*primary_, /*with_worker=*/false);
  auto user = sign_in(*primary_, kMarket, "usr-1", "cld-1");
  for (int i = 0; i < 600; ++i) user->create("customers", {{"name", "Shared " + std::to_string(i)}});
  for (int i = 0; i < 3; ++i) start_worker(*primary_);
  ASSERT_TRUE(eventually([&] { return unfinished_outbox(*primary_) == 0; }, std::chrono::seconds(120))) << sync_state(*primary_);
  EXPECT_EQ(connec_count("cld-1", "organizations"), 600);
  EXPECT_EQ(connec_writes("cld-1", sandbox_->api_id(kMarket), "organizations"), 600) << "no row was sent twice";
  for (auto& w : primary_->workers) EXPECT_TRUE(w->running()) << "a worker stopped:\n" << w->output();
}

INSTANTIATE_TEST_SUITE_P(Databases, ConnecEndToEnd, ::testing::ValuesIn(database_kinds()),
                         [](const auto& info) { return info.param; });

}  // namespace
