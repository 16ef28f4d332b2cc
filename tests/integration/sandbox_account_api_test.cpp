// Integration (real mno-sandbox over loopback, libmno's AccountClient on curl): bills and recurring
// bills through their lifecycle, "cannot cancel an invoiced bill", groups and users, credentials,
// and the fault injector making the client see a 500, a timeout and the ambiguous "applied then
// dropped" create (a real TCP reset: a transport error, not a timeout) that find_bill_by_reference
// then resolves. Also the fault decision logic in process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "mno/account/account_client.hpp"
#include "mno/account/bill_reference.hpp"
#include "mno/http/curl_http_client.hpp"
#include "mno/util/iso8601.hpp"
#include "sandbox/fault_injection.hpp"
#include "support/platform/platform_fixture.hpp"

using namespace testenv;
using namespace mno::account;
using nlohmann::json;

namespace {

mno::config::Marketplace market(const SandboxProcess& s, const std::string& name) {
  mno::config::Marketplace m;
  m.name = name;
  m.api.id = s.api_id(name);
  m.api.key = s.api_key(name);
  m.api.host = s.url;
  m.api.base = "/api/v1/";
  return m;
}

mno::http::Response control(const std::string& method, const std::string& url, const std::string& body = "") {
  mno::http::Request r;
  r.method = method;
  r.url = url;
  r.body = body;
  if (!body.empty()) r.headers = {{"Content-Type", "application/json"}};
  return http_send(r);
}

NewBill new_bill(const std::string& group, int64_t cents, const std::string& description) {
  NewBill b;
  b.group_id = group;
  b.price_cents = cents;
  b.description = description;
  return b;
}

ClientOptions fast_options() {
  ClientOptions o;
  o.timeout = std::chrono::milliseconds(400);
  o.retry.base_delay = std::chrono::milliseconds(5);
  o.retry.max_delay = std::chrono::milliseconds(20);
  return o;
}

struct SandboxAccount : ::testing::Test {
  void SetUp() override {
    sandbox = start_sandbox();
    ASSERT_TRUE(sandbox);
  }
  std::unique_ptr<SandboxProcess> sandbox;
  mno::http::CurlHttpClient http;
};

TEST_F(SandboxAccount, BillLifecycleAndInvoicedBillCannotBeCancelled) {
  AccountClient c(market(*sandbox, "maestrano-sandbox"), http, fast_options());
  NewBill nb = new_bill("cld-1", 1250, description_with_reference("SMS reminders x5", "chg-1"));
  nb.currency = "USD";
  nb.units = 5;
  nb.period_started_at = *mno::parse_iso8601("2026-01-01T00:00:00Z");
  nb.period_ended_at = *mno::parse_iso8601("2026-01-31T00:00:00Z");
  auto created = c.create_bill(nb);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->id.rfind("bill-", 0), 0u);
  EXPECT_EQ(created->status, "submitted");
  EXPECT_EQ(created->currency, "USD");
  EXPECT_DOUBLE_EQ(created->units, 5);
  EXPECT_EQ(mno::format_iso8601(*created->period_ended_at), "2026-01-31T00:00:00Z");
  auto other = c.create_bill(new_bill("cld-2", 300, "other group"));
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->currency, "AUD");  // platform default

  auto listed = c.list_bills({"cld-1", "", {}});
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).id, created->id);
  EXPECT_EQ(c.list_bills({"", "submitted", {}})->size(), 2u);
  EXPECT_EQ(c.list_bills({"", "", {{"price_cents_strictly_greater_than", "1000"}}})->size(), 1u);
  EXPECT_EQ(c.list_bills({"", "", {{"no_such_column", "x"}}})->size(), 0u);
  EXPECT_EQ(c.get_bill(created->id)->description, "SMS reminders x5 [ref:chg-1]");
  auto unknown = c.get_bill("bill-nope");
  EXPECT_EQ(unknown.error().code, kInvalid);
  EXPECT_EQ(unknown.error().fields.at("id"), "does not exist");

  // Cancel: idempotent.
  EXPECT_EQ(c.cancel_bill(other->id)->status, "cancelled");
  EXPECT_EQ(c.cancel_bill(other->id)->status, "cancelled");
  EXPECT_EQ(c.cancel_bill("bill-nope").error().code, kInvalid);

  // The platform's invoicing run, then the "cannot cancel" path.
  auto inv = control("POST", sandbox->url + "/control/v1/account/groups/cld-1/invoice");
  ASSERT_EQ(inv.status, 200);
  EXPECT_EQ(json::parse(inv.body)["invoiced"], 1);
  EXPECT_EQ(c.get_bill(created->id)->status, "invoiced");
  auto refused = c.cancel_bill(created->id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, kInvalid);
  EXPECT_EQ(refused.error().fields.at("status"), "has already been set to invoiced and cannot be changed");
  auto group_bills = json::parse(http_get(sandbox->url + "/control/v1/account/groups/cld-1/bills").body);
  EXPECT_EQ(group_bills["bills"].size(), 1u);
  EXPECT_EQ(group_bills["bills"][0]["status"], "invoiced");
  EXPECT_EQ(http_get(sandbox->url + "/control/v1/account/groups/cld-nope/bills").status, 404);
}

// The admin billing screen of a group: the bills with their status, and the invoicing run behind a
// CSRF-protected button.
TEST_F(SandboxAccount, AdminBillingScreenShowsBillsAndInvoicesSubmittedOnes) {
  AccountClient c(market(*sandbox, "maestrano-sandbox"), http, fast_options());
  auto created = c.create_bill(new_bill("cld-1", 1250, "SMS reminders"));
  ASSERT_TRUE(created) << created.error().message;
  const std::string page_url = sandbox->url + "/admin/groups/cld-1/billing";
  auto page = http_get(page_url);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("SMS reminders"), std::string::npos);
  EXPECT_NE(page.body.find("12.50"), std::string::npos);
  EXPECT_NE(page.body.find(">submitted<"), std::string::npos);
  EXPECT_NE(page.body.find("data-testid=\"invoice-submitted\""), std::string::npos);

  mno::http::Request forged;
  forged.method = "POST";
  forged.url = sandbox->url + "/admin/groups/cld-1/billing/invoice";
  forged.body = "_csrf=wrong";
  forged.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(http_send(forged).status, 403);
  EXPECT_EQ(c.get_bill(created->id)->status, "submitted");

  auto at = page.body.find("name=\"_csrf\" value=\"");
  ASSERT_NE(at, std::string::npos);
  at += std::string("name=\"_csrf\" value=\"").size();
  mno::http::Request ok = forged;
  ok.body = "_csrf=" + page.body.substr(at, page.body.find('"', at) - at);
  EXPECT_EQ(http_send(ok).status, 303);  // see other: back to the billing screen
  EXPECT_EQ(c.get_bill(created->id)->status, "invoiced");
  EXPECT_NE(http_get(page_url).body.find(">invoiced<"), std::string::npos);
}

TEST_F(SandboxAccount, ValidationCredentialsAndMarketplaceScoping) {
  AccountClient c(market(*sandbox, "maestrano-sandbox"), http, fast_options());
  NewBill bad = new_bill("cld-3", 0, "");  // cld-3 belongs to partner-market
  bad.currency = "XXX";
  auto e = c.create_bill(bad).error();
  EXPECT_EQ(e.code, kInvalid);
  EXPECT_EQ(e.fields.at("group_id"), "does not exist or cannot be charged by your service");
  EXPECT_EQ(e.fields.at("price_cents"), "must be greater than 0");
  EXPECT_EQ(e.fields.at("description"), "can't be blank");
  EXPECT_EQ(e.fields.at("currency"), "is not a known currency");

  auto wrong = market(*sandbox, "maestrano-sandbox");
  wrong.api.key = "not-the-key";
  AccountClient bad_creds(wrong, http, fast_options());
  EXPECT_EQ(bad_creds.list_bills().error().code, kUnauthorized);
  EXPECT_EQ(bad_creds.create_bill(new_bill("cld-1", 100, "x")).error().code, kUnauthorized);

  // Another marketplace sees only its own bills and groups.
  ASSERT_TRUE(c.create_bill(new_bill("cld-1", 100, "mine")));
  AccountClient partner(market(*sandbox, "partner-market"), http, fast_options());
  EXPECT_EQ(partner.list_bills()->size(), 0u);
  EXPECT_EQ(partner.get_group("cld-1").error().code, kInvalid);
  EXPECT_TRUE(partner.create_bill(new_bill("cld-3", 100, "theirs")));
  EXPECT_EQ(c.list_bills()->size(), 1u);
}

TEST_F(SandboxAccount, RecurringBillsWithJsonAndFormBodies) {
  auto o = fast_options();
  o.body_format = BodyFormat::form;
  AccountClient form(market(*sandbox, "maestrano-sandbox"), http, o);
  AccountClient c(market(*sandbox, "maestrano-sandbox"), http, fast_options());
  NewRecurringBill rb;
  rb.group_id = "cld-1";
  rb.price_cents = 2900;
  rb.description = description_with_reference("Tally per-seat plan", "plan-1");
  rb.currency = "USD";
  rb.period = "Month";
  rb.frequency = 1;
  rb.start_date = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now() + std::chrono::hours(24 * 30));
  rb.initial_cents = 500;
  auto created = form.create_recurring_bill(rb);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->period, "month");
  EXPECT_EQ(created->status, "submitted");
  EXPECT_FALSE(created->cycles);
  EXPECT_EQ(created->start_date, rb.start_date);
  EXPECT_EQ(created->next_execution_at, rb.start_date);
  // initial_cents charged at once as a bill.
  auto bills = c.list_bills({"cld-1", "", {}});
  ASSERT_EQ(bills->size(), 1u);
  EXPECT_EQ(bills->at(0).price_cents, 500);
  EXPECT_EQ(bills->at(0).description.rfind("Initial: ", 0), 0u);

  NewRecurringBill bad = rb;
  bad.period = "fortnight";
  bad.start_date = std::chrono::system_clock::now() - std::chrono::hours(3);
  bad.cycles = 0;
  auto e = c.create_recurring_bill(bad).error();
  EXPECT_EQ(e.fields.at("period"), "is not included in the list");
  EXPECT_EQ(e.fields.at("start_date"), "cannot be in the past");
  EXPECT_EQ(e.fields.count("cycles"), 1u);

  auto found = c.find_recurring_bill_by_reference("cld-1", "plan-1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, created->id);
  EXPECT_EQ(c.list_recurring_bills({"cld-1", "submitted", {}})->size(), 1u);
  EXPECT_EQ(c.cancel_recurring_bill(created->id)->status, "cancelled");
  EXPECT_EQ(c.get_recurring_bill(created->id)->status, "cancelled");
  EXPECT_EQ(c.list_recurring_bills({"cld-1", "submitted", {}})->size(), 0u);
}

TEST_F(SandboxAccount, GroupsAndUsersComeFromTheDirectory) {
  AccountClient c(market(*sandbox, "maestrano-sandbox"), http, fast_options());
  auto groups = c.list_groups();
  ASSERT_TRUE(groups) << groups.error().message;
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ(groups->at(0).id, "cld-1");
  auto g = c.get_group("cld-1");
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->name, "Doe Corp");
  EXPECT_EQ(g->currency, "USD");
  EXPECT_TRUE(g->free_trial_end_at);
  EXPECT_EQ(g->status, "running");
  auto users = c.list_users({"cld-1", "", {}});
  ASSERT_TRUE(users) << users.error().message;
  ASSERT_EQ(users->size(), 2u);  // usr-1 and usr-2
  EXPECT_EQ(c.get_user("usr-1")->surname, "Doe");
  EXPECT_EQ(c.get_user("usr-4").error().code, kInvalid);  // in no group of this marketplace
  EXPECT_EQ(c.list_users({"", "", {{"email", "jane.roe@example.com"}}})->size(), 1u);
}

TEST_F(SandboxAccount, FaultsServerErrorRetriedGetsAndTimeoutWithNothingApplied) {
  AccountClient c(market(*sandbox, "maestrano-sandbox"), http, fast_options());
  auto url = sandbox->url + "/control/v1/account/faults";
  ASSERT_EQ(control("POST", url, R"({"kind":"error","method":"POST","resource":"bills","count":1})").status, 201);
  auto e = c.create_bill(new_bill("cld-1", 100, description_with_reference("x", "chg-500"))).error();
  EXPECT_EQ(e.code, kServerError);
  EXPECT_TRUE(may_have_been_applied(e));
  // The forced 500 did not apply anything, and the rule is used up.
  EXPECT_FALSE(*c.find_bill_by_reference("cld-1", "chg-500"));
  EXPECT_TRUE(c.create_bill(new_bill("cld-1", 100, "after")));

  // GETs ride over two 503s.
  ASSERT_EQ(control("POST", url, R"({"kind":"error","method":"GET","status":503,"count":2})").status, 201);
  EXPECT_TRUE(c.list_bills());
  EXPECT_EQ(json::parse(http_get(url).body)["faults"].size(), 0u);

  // Timeout: no answer, nothing applied.
  ASSERT_EQ(control("POST", url, R"({"kind":"timeout","method":"POST","resource":"bills","count":1,"hang_ms":1200})").status, 201);
  e = c.create_bill(new_bill("cld-1", 100, description_with_reference("x", "chg-timeout"))).error();
  EXPECT_EQ(e.code, kAmbiguousOutcome);
  auto lookup = c.find_bill_by_reference("cld-1", "chg-timeout");
  ASSERT_TRUE(lookup) << lookup.error().message;
  EXPECT_FALSE(*lookup);

  // Bad rules are refused naming the field; DELETE clears.
  auto bad = control("POST", url, R"({"kind":"error","probability":2})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("probability"), std::string::npos);
  ASSERT_EQ(control("POST", url, R"({"kind":"latency","latency_ms":50})").status, 201);
  EXPECT_EQ(control("DELETE", url).status, 200);
  EXPECT_EQ(json::parse(http_get(url).body)["faults"].size(), 0u);
}

TEST_F(SandboxAccount, ApplyThenDropIsAmbiguousAndTheReferenceLookupFindsTheBill) {
  AccountClient c(market(*sandbox, "maestrano-sandbox"), http, fast_options());
  ASSERT_EQ(control("POST", sandbox->url + "/control/v1/account/faults",
                    R"({"kind":"drop_after_apply","method":"POST","resource":"bills","count":1})")
                .status,
            201);
  auto nb = new_bill("cld-2", 700, description_with_reference("SMS reminder", "chg-77"));
  auto started = std::chrono::steady_clock::now();
  auto e = c.create_bill(nb);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, kAmbiguousOutcome);
  // A real connection drop, not a withheld answer: the transport fails at once, long before the
  // client's 400 ms timeout, and the cause is not a timeout.
  EXPECT_NE(e.error().message.find("http.transport"), std::string::npos) << e.error().message;
  EXPECT_EQ(e.error().message.find("http.timeout"), std::string::npos) << e.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(300));
  // What a billing worker does: look before creating again.
  auto found = c.find_bill_by_reference("cld-2", "chg-77");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->price_cents, 700);
  if (!*found) {
    ASSERT_TRUE(c.create_bill(nb));
  }
  auto all = c.list_bills({"cld-2", "", {}});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);  // exactly one charge on the platform
}

TEST_F(SandboxAccount, ApplyThenDropIsAConnectionErrorOnTheWire) {
  ASSERT_EQ(control("POST", sandbox->url + "/control/v1/account/faults",
                    R"({"kind":"drop_after_apply","method":"POST","resource":"bills","count":1})")
                .status,
            201);
  mno::http::Request r;
  r.method = "POST";
  r.url = sandbox->url + "/api/v1/account/bills";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"group_id":"cld-1","price_cents":250,"description":"dropped"})";
  r.basic_auth = std::pair{sandbox->api_id("maestrano-sandbox"), sandbox->api_key("maestrano-sandbox")};
  r.timeout = std::chrono::seconds(5);
  auto res = http.send(r);
  ASSERT_FALSE(res) << "got HTTP " << res->status;
  EXPECT_EQ(res.error().code, "http.transport") << res.error().message;
  // Applied exactly once, and the rule is used up: the same request now gets its answer.
  auto bills = json::parse(http_get(sandbox->url + "/control/v1/account/groups/cld-1/bills").body)["bills"];
  ASSERT_EQ(bills.size(), 1u);
  EXPECT_EQ(bills[0]["description"], "dropped");
  auto again = http.send(r);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->status, 200);
}

TEST_F(SandboxAccount, RawApiQuirks) {
  // Form body straight on the wire, and the 401 envelope.
  mno::http::Request r;
  r.method = "POST";
  r.url = sandbox->url + "/api/v1/account/bills";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = "group_id=cld-1&price_cents=100&description=Form+bill&third_party=true";
  r.basic_auth = std::pair{sandbox->api_id("maestrano-sandbox"), sandbox->api_key("maestrano-sandbox")};
  auto ok = http_send(r);
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto doc = json::parse(ok.body);
  EXPECT_EQ(doc["success"], true);
  EXPECT_EQ(doc["data"]["object"], "account_bill");
  EXPECT_EQ(doc["data"]["description"], "Form bill");
  EXPECT_EQ(doc["data"]["third_party"], true);
  r.basic_auth.reset();
  auto denied = http_send(r);
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(json::parse(denied.body)["errors"]["authentication"][0], "Invalid API token");
  r.basic_auth = std::pair{sandbox->api_id("maestrano-sandbox"), sandbox->api_key("partner-market")};
  EXPECT_EQ(http_send(r).status, 401);
}

// ---- the fault decision logic, in process with seeded randomness ----

TEST(FaultInjector, CountsMatchingAndLatencySum) {
  mno::SeededRandom random(1);
  sandbox::FaultInjector f(random);
  sandbox::FaultRule lat;
  lat.kind = sandbox::FaultKind::latency;
  lat.latency = std::chrono::milliseconds(30);
  f.add(lat);
  sandbox::FaultRule err;
  err.kind = sandbox::FaultKind::error;
  err.method = "POST";
  err.resource = "bills";
  err.remaining = 2;
  f.add(err);
  auto get = f.decide("GET", "bills");
  EXPECT_EQ(get.action, sandbox::FaultDecision::Action::none);
  EXPECT_EQ(get.delay.count(), 30);
  EXPECT_EQ(f.decide("POST", "recurring_bills").action, sandbox::FaultDecision::Action::none);
  EXPECT_EQ(f.decide("POST", "bills").action, sandbox::FaultDecision::Action::error);
  EXPECT_EQ(f.decide("POST", "bills").action, sandbox::FaultDecision::Action::error);
  EXPECT_EQ(f.decide("POST", "bills").action, sandbox::FaultDecision::Action::none);
  EXPECT_EQ(f.rules().size(), 1u);
}

TEST(FaultInjector, ErrorRateFollowsTheProbability) {
  mno::SeededRandom random(42);
  sandbox::FaultInjector f(random);
  sandbox::FaultRule r;
  r.probability = 0.25;
  f.add(r);
  int errors = 0;
  for (int i = 0; i < 4000; ++i) errors += f.decide("GET", "groups").action == sandbox::FaultDecision::Action::error;
  EXPECT_GT(errors, 800);
  EXPECT_LT(errors, 1200);
}

TEST(FaultInjector, RulesFromJson) {
  auto r = sandbox::fault_rule_from_json(json{{"kind", "drop_after_apply"}, {"method", "POST"}, {"hang_ms", 900}, {"count", 3}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, sandbox::FaultKind::drop_after_apply);
  EXPECT_EQ(r->hang.count(), 900);
  EXPECT_EQ(sandbox::fault_rule_to_json(*r)["count"], 3);
  EXPECT_EQ(sandbox::fault_rule_from_json(json{{"kind", "meltdown"}}).error().code, "control.invalid_field");
  EXPECT_FALSE(sandbox::fault_rule_from_json(json{{"kind", "error"}, {"method", "PATCH"}}));
  EXPECT_FALSE(sandbox::fault_rule_from_json(json{{"kind", "latency"}}));
  EXPECT_FALSE(sandbox::fault_rule_from_json(json{{"kind", "error"}, {"count", 0}}));
}

}  // namespace
