// AccountClient against FakeHttpClient: every call's method, URL, auth and body; the envelope and its
// error mapping; GET retries with injected backoff and the rule that a create is never re-sent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mno/account/account_client.hpp"
#include "mno/account/account_json.hpp"
#include "mno/account/bill_reference.hpp"
#include "mno/http/fake_http_client.hpp"
#include "mno/util/iso8601.hpp"

using namespace mno;
using namespace mno::account;
using mno::http::FakeHttpClient;
using nlohmann::json;

namespace {

constexpr const char* kBase = "https://hub.example/api/v1/account/";

config::Marketplace market() {
  config::Marketplace m;
  m.name = "maestrano-uat";
  m.api.id = "app-1";
  m.api.key = "key:with:colons";
  m.api.host = "https://hub.example";
  m.api.base = "/api/v1/";
  return m;
}

NewBill new_bill(std::string group, int64_t cents, std::string description) {
  NewBill b;
  b.group_id = std::move(group);
  b.price_cents = cents;
  b.description = std::move(description);
  return b;
}

json ok(const json& data) { return {{"success", true}, {"errors", json::object()}, {"data", data}}; }

json bill_json(const std::string& id, const std::string& group, const std::string& description, const std::string& status = "submitted") {
  return {{"object", "account_bill"}, {"id", id}, {"group_id", group}, {"price_cents", 1500}, {"currency", "USD"},
          {"description", description}, {"units", "2.0"}, {"status", status}, {"third_party", false},
          {"period_started_at", nullptr}, {"created_at", "2026-01-02T03:04:05Z"}, {"updated_at", "2026-01-02T03:04:05Z"}};
}

struct Fixture : ::testing::Test {
  FakeHttpClient http;
  ManualClock clock;
  SeededRandom random{7};
  std::vector<std::chrono::milliseconds> sleeps;
  ClientOptions options() {
    ClientOptions o;
    o.clock = &clock;
    o.random = &random;
    o.sleep = [this](std::chrono::milliseconds d) {
      sleeps.push_back(d);
      clock.advance(d);
    };
    return o;
  }
  AccountClient client() { return AccountClient(market(), http, options()); }
};

using AccountClientTest = Fixture;

TEST_F(AccountClientTest, CreateBillSendsJsonWithBasicAuthAndParsesTheBill) {
  http.on("POST", std::string(kBase) + "bills", FakeHttpClient::json_response(200, ok(bill_json("bill-1", "cld-1", "SMS x3"))));
  NewBill nb;
  nb.group_id = "cld-1";
  nb.price_cents = 1500;
  nb.description = "SMS x3";
  nb.currency = "USD";
  nb.units = 2;
  nb.period_started_at = *parse_iso8601("2026-01-01T00:00:00Z");
  nb.period_ended_at = *parse_iso8601("2026-01-31T00:00:00Z");
  nb.third_party = true;
  auto c = client();
  auto b = c.create_bill(nb);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->id, "bill-1");
  EXPECT_EQ(b->price_cents, 1500);
  EXPECT_DOUBLE_EQ(b->units, 2.0);
  EXPECT_EQ(b->status, "submitted");
  EXPECT_FALSE(b->period_started_at);
  EXPECT_EQ(format_iso8601(*b->created_at), "2026-01-02T03:04:05Z");
  auto req = http.last_request();
  EXPECT_EQ(req.method, "POST");
  ASSERT_TRUE(req.basic_auth);
  EXPECT_EQ(req.basic_auth->first, "app-1");
  EXPECT_EQ(req.basic_auth->second, "key:with:colons");
  auto body = json::parse(req.body);
  EXPECT_EQ(body, (json{{"group_id", "cld-1"}, {"price_cents", 1500}, {"description", "SMS x3"}, {"currency", "USD"},
                        {"units", 2.0}, {"period_started_at", "2026-01-01T00:00:00Z"},
                        {"period_ended_at", "2026-01-31T00:00:00Z"}, {"third_party", true}}));
  bool json_ct = false;
  for (auto& [k, v] : req.headers) json_ct |= (k == "Content-Type" && v == "application/json");
  EXPECT_TRUE(json_ct);
}

TEST_F(AccountClientTest, FormBodyIsUrlEncodedAndLeavesOutAbsentOptions) {
  http.on("POST", std::string(kBase) + "bills", FakeHttpClient::json_response(200, ok(bill_json("bill-2", "cld-1", "a & b"))));
  auto o = options();
  o.body_format = BodyFormat::form;
  AccountClient c(market(), http, o);
  ASSERT_TRUE(c.create_bill(new_bill("cld-1", 99, "a & b")));
  auto req = http.last_request();
  EXPECT_EQ(req.body, "description=a%20%26%20b&group_id=cld-1&price_cents=99");
  bool form_ct = false;
  for (auto& [k, v] : req.headers) form_ct |= (k == "Content-Type" && v == "application/x-www-form-urlencoded");
  EXPECT_TRUE(form_ct);
}

TEST_F(AccountClientTest, ListGetCancelUseTheRightVerbsPathsAndFilters) {
  http.on("GET", std::string(kBase) + "bills?group_id=cld%201&status=submitted&created_at_after=2026-01-01T00%3A00%3A00Z",
          FakeHttpClient::json_response(200, ok(json::array({bill_json("bill-1", "cld 1", "x")}))));
  http.on("GET", std::string(kBase) + "bills/bill-1", FakeHttpClient::json_response(200, ok(bill_json("bill-1", "cld-1", "x"))));
  http.on("DELETE", std::string(kBase) + "bills/bill%2F1",
          FakeHttpClient::json_response(200, ok(bill_json("bill/1", "cld-1", "x", "cancelled"))));
  auto c = client();
  auto list = c.list_bills({"cld 1", "submitted", {{"created_at_after", "2026-01-01T00:00:00Z"}}});
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE(c.get_bill("bill-1"));
  auto cancelled = c.cancel_bill("bill/1");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_EQ(c.get_bill("").error().code, kBadArgument);
  for (const auto& r : http.requests()) {
    EXPECT_TRUE(r.body.empty());
    ASSERT_TRUE(r.basic_auth);
  }
}

TEST_F(AccountClientTest, RecurringBillsGroupsAndUsers) {
  json rb = {{"object", "account_recurring_bill"}, {"id", "rbill-1"}, {"group_id", "cld-1"}, {"price_cents", 2000},
             {"currency", "AUD"}, {"description", "Plan"}, {"period", "month"}, {"frequency", 1}, {"cycles", nullptr},
             {"start_date", "2026-02-01T00:00:00Z"}, {"initial_cents", 0}, {"status", "submitted"},
             {"next_execution_at", "2026-02-01T00:00:00Z"}, {"remaining_cycles", nullptr}};
  http.on("POST", std::string(kBase) + "recurring_bills", FakeHttpClient::json_response(200, ok(rb)));
  http.on("GET", std::string(kBase) + "recurring_bills?group_id=cld-1", FakeHttpClient::json_response(200, ok(json::array({rb}))));
  http.on("GET", std::string(kBase) + "recurring_bills/rbill-1", FakeHttpClient::json_response(200, ok(rb)));
  json cancelled = rb;
  cancelled["status"] = "cancelled";
  http.on("DELETE", std::string(kBase) + "recurring_bills/rbill-1", FakeHttpClient::json_response(200, ok(cancelled)));
  json group = {{"object", "account_group"}, {"id", "cld-1"}, {"name", "Doe"}, {"has_credit_card", true},
                {"free_trial_end_at", "2026-03-01T00:00:00Z"}, {"currency", "USD"}, {"status", "running"}};
  http.on("GET", std::string(kBase) + "groups", FakeHttpClient::json_response(200, ok(json::array({group}))));
  http.on("GET", std::string(kBase) + "groups/cld-1", FakeHttpClient::json_response(200, ok(group)));
  json user = {{"object", "account_user"}, {"id", "usr-1"}, {"name", "John"}, {"surname", "Doe"}, {"email", "j@x"}};
  http.on("GET", std::string(kBase) + "users?group_id=cld-1", FakeHttpClient::json_response(200, ok(json::array({user}))));
  http.on("GET", std::string(kBase) + "users/usr-1", FakeHttpClient::json_response(200, ok(user)));

  auto c = client();
  NewRecurringBill nr;
  nr.group_id = "cld-1";
  nr.price_cents = 2000;
  nr.description = "Plan";
  nr.period = "Month";
  nr.frequency = 1;
  nr.cycles = 12;
  nr.start_date = *parse_iso8601("2026-02-01T00:00:00Z");
  auto created = c.create_recurring_bill(nr);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->period, "month");
  EXPECT_FALSE(created->cycles);
  EXPECT_EQ(format_iso8601(*created->next_execution_at), "2026-02-01T00:00:00Z");
  EXPECT_EQ(json::parse(http.last_request().body),
            (json{{"group_id", "cld-1"}, {"price_cents", 2000}, {"description", "Plan"}, {"period", "Month"},
                  {"frequency", 1}, {"cycles", 12}, {"start_date", "2026-02-01T00:00:00Z"}}));
  EXPECT_EQ(c.list_recurring_bills({"cld-1", "", {}})->size(), 1u);
  EXPECT_TRUE(c.get_recurring_bill("rbill-1"));
  EXPECT_EQ(c.cancel_recurring_bill("rbill-1")->status, "cancelled");
  auto g = c.get_group("cld-1");
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->has_credit_card);
  EXPECT_EQ(format_iso8601(*g->free_trial_end_at), "2026-03-01T00:00:00Z");
  EXPECT_EQ(c.list_groups()->size(), 1u);
  EXPECT_EQ(c.list_users({"cld-1", "", {}})->at(0).surname, "Doe");
  EXPECT_EQ(c.get_user("usr-1")->email, "j@x");
}

TEST_F(AccountClientTest, ErrorMapping) {
  auto c = client();
  auto url = std::string(kBase) + "bills/bill-9";
  http.on("GET", url, FakeHttpClient::json_response(401, {{"success", false}, {"errors", {{"authentication", {"Invalid API token"}}}}}));
  EXPECT_EQ(c.get_bill("bill-9").error().code, kUnauthorized);
  http.clear();
  // The ref sandbox's unknown id: 200 with success:false.
  http.on("GET", url, FakeHttpClient::json_response(200, {{"success", false}, {"errors", {{"id", {"does not exist"}}}}, {"data", json::object()}}));
  auto e = c.get_bill("bill-9").error();
  EXPECT_EQ(e.code, kInvalid);
  EXPECT_EQ(e.fields.at("id"), "does not exist");
  EXPECT_EQ(e.message, "id does not exist");
  http.clear();
  http.on("POST", std::string(kBase) + "bills",
          FakeHttpClient::json_response(400, {{"success", false},
                                              {"errors", {{"group_id", {"does not exist or cannot be charged by your service"}},
                                                          {"price_cents", {"must be greater than 0", "is required"}}}}}));
  e = c.create_bill(new_bill("cld-x", 0, "x")).error();
  EXPECT_EQ(e.code, kInvalid);
  EXPECT_EQ(e.fields.size(), 2u);
  EXPECT_EQ(e.fields.at("price_cents"), "must be greater than 0; is required");
  for (int st : {404, 422}) {
    http.clear();
    http.on("GET", url, FakeHttpClient::json_response(st, {{"errors", {{"id", {"nope"}}}}}));
    EXPECT_EQ(c.get_bill("bill-9").error().code, kInvalid) << st;
  }
  http.clear();
  http.on("GET", url, FakeHttpClient::text_response(200, "<html>"));
  EXPECT_EQ(c.get_bill("bill-9").error().code, kBadResponse);
  http.clear();
  http.on("GET", url, FakeHttpClient::json_response(200, ok({{"object", "account_bill"}, {"id", "bill-9"}, {"created_at", "yesterday"}})));
  EXPECT_EQ(c.get_bill("bill-9").error().code, kBadResponse);
  http.clear();
  http.on("GET", url, FakeHttpClient::json_response(302, ok(json::object())));
  EXPECT_EQ(c.get_bill("bill-9").error().code, kBadResponse);
}

TEST_F(AccountClientTest, GetRetriesTransportAnd5xxWithJitteredBackoffThenSucceeds) {
  auto url = std::string(kBase) + "bills/bill-1";
  http.on("GET", url, make_error("http.connect", "refused"));
  http.on("GET", url, FakeHttpClient::json_response(503, json::object()));
  http.on("GET", url, FakeHttpClient::json_response(200, ok(bill_json("bill-1", "cld-1", "x"))));
  auto c = client();
  auto b = c.get_bill("bill-1");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(http.request_count(), 3u);
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_LE(sleeps[0].count(), 200);  // full jitter: within [0, base]
  EXPECT_LE(sleeps[1].count(), 400);  // then [0, 2*base]
}

TEST_F(AccountClientTest, GetGivesUpAfterMaxAttemptsWithTheLastErrorMapped) {
  auto url = std::string(kBase) + "groups";
  http.on("GET", url, FakeHttpClient::json_response(500, json::object()));
  auto c = client();
  EXPECT_EQ(c.list_groups().error().code, kServerError);
  EXPECT_EQ(http.request_count(), 4u);
  http.clear();
  sleeps.clear();
  http.on("GET", url, make_error("http.timeout", "slow"));
  EXPECT_EQ(c.list_groups().error().code, kUnreachable);
  EXPECT_EQ(http.request_count(), 4u);
  // A 4xx is final: no retry.
  http.clear();
  http.on("GET", url, FakeHttpClient::json_response(400, json::object()));
  EXPECT_EQ(c.list_groups().error().code, kInvalid);
  EXPECT_EQ(http.request_count(), 1u);
}

TEST_F(AccountClientTest, RetryAfterIsHonouredUpToTheCapAndTheElapsedBudgetStopsRetries) {
  auto url = std::string(kBase) + "groups";
  auto busy = FakeHttpClient::json_response(429, json::object());
  busy.headers.emplace_back("retry-after", "3");
  http.on("GET", url, busy);
  http.on("GET", url, FakeHttpClient::json_response(200, ok(json::array())));
  auto c = client();
  ASSERT_TRUE(c.list_groups());
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_EQ(sleeps[0].count(), 3000);

  http.clear();
  sleeps.clear();
  auto o = options();
  o.retry.max_attempts = 100;
  o.retry.max_elapsed = std::chrono::milliseconds(10);
  o.retry.base_delay = std::chrono::milliseconds(20);
  http.on("GET", url, FakeHttpClient::json_response(502, json::object()));
  AccountClient budget(market(), http, o);
  EXPECT_EQ(budget.list_groups().error().code, kServerError);
  EXPECT_LT(http.request_count(), 100u);
}

TEST_F(AccountClientTest, CreateIsNeverRetried) {
  auto url = std::string(kBase) + "bills";
  auto c = client();
  NewBill nb = new_bill("cld-1", 100, "x");
  // Sent, no answer: ambiguous.
  for (const char* code : {"http.timeout", "http.transport"}) {
    http.clear();
    http.on("POST", url, make_error(code, "lost"));
    auto e = c.create_bill(nb).error();
    EXPECT_EQ(e.code, kAmbiguousOutcome) << code;
    EXPECT_TRUE(is_ambiguous_outcome(e));
    EXPECT_TRUE(may_have_been_applied(e));
    EXPECT_EQ(http.request_count(), 1u);
  }
  // Nothing sent: unreachable, safe to retry later.
  http.clear();
  http.on("POST", url, make_error("http.connect", "refused"));
  auto e = c.create_bill(nb).error();
  EXPECT_EQ(e.code, kUnreachable);
  EXPECT_FALSE(may_have_been_applied(e));
  // 5xx: one attempt, may have been applied.
  http.clear();
  http.on("POST", url, FakeHttpClient::json_response(500, {{"errors", {{"system", {"A system error occured."}}}}}));
  e = c.create_bill(nb).error();
  EXPECT_EQ(e.code, kServerError);
  EXPECT_TRUE(may_have_been_applied(e));
  EXPECT_EQ(http.request_count(), 1u);
  // Same for recurring bills.
  http.clear();
  http.on("POST", std::string(kBase) + "recurring_bills", make_error("http.timeout", "lost"));
  EXPECT_EQ(c.create_recurring_bill([] {
    NewRecurringBill r;
    r.group_id = "cld-1";
    r.price_cents = 100;
    r.description = "x";
    return r;
  }()).error().code, kAmbiguousOutcome);
  EXPECT_EQ(http.request_count(), 1u);
  EXPECT_TRUE(sleeps.empty());
}

TEST_F(AccountClientTest, FindBillByReferenceListsTheGroupAndMatchesTheMarker) {
  auto url = std::string(kBase) + "bills?group_id=cld-1";
  http.on("GET", url, make_error("http.transport", "reset"));  // the lookup itself retries
  http.on("GET", url,
          FakeHttpClient::json_response(
              200, ok(json::array({bill_json("bill-1", "cld-1", "other [ref:chg-1]"),
                                   bill_json("bill-2", "cld-1", description_with_reference("SMS", "chg-12"), "cancelled"),
                                   bill_json("bill-3", "cld-1", "SMS [ref:chg-12] copied")}))));
  auto c = client();
  auto found = c.find_bill_by_reference("cld-1", "chg-12");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->id, "bill-2");
  auto missing = c.find_bill_by_reference("cld-1", "chg-99");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
  EXPECT_EQ(c.find_bill_by_reference("cld-1", "bad ref").error().code, kBadArgument);
}

TEST_F(AccountClientTest, FindRecurringBillByReference) {
  json rb = {{"object", "account_recurring_bill"}, {"id", "rbill-7"}, {"group_id", "cld-2"},
             {"description", description_with_reference("Plan", "plan-3")}, {"price_cents", 1}};
  http.on("GET", std::string(kBase) + "recurring_bills?group_id=cld-2", FakeHttpClient::json_response(200, ok(json::array({rb}))));
  auto c = client();
  auto found = c.find_recurring_bill_by_reference("cld-2", "plan-3");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, "rbill-7");
}

TEST(BillReference, MarkerRoundTripAndValidation) {
  EXPECT_EQ(description_with_reference("SMS x3", "chg-42"), "SMS x3 [ref:chg-42]");
  EXPECT_EQ(reference_in("SMS x3 [ref:chg-42]"), "chg-42");
  EXPECT_EQ(reference_in("[ref:x] SMS"), std::nullopt);
  EXPECT_EQ(reference_in("SMS [ref:bad ref]"), std::nullopt);
  EXPECT_EQ(reference_in("SMS [ref:]"), std::nullopt);
  EXPECT_EQ(reference_in("a [ref:one] b [ref:two]"), "two");
  EXPECT_FALSE(is_valid_reference(std::string(65, 'a')));
  EXPECT_TRUE(is_valid_reference(std::string(64, 'a')));
}

}  // namespace
