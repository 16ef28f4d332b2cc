// Integration (real mno-sandbox over loopback, a small web::Server inside the test as the app): the
// account webhooks (cancel an app for a group, remove a member) arrive as DELETEs on the
// marketplace-suffixed paths of spec §4 with the marketplace's Basic credentials; the outbound
// delivery queue retries 500, 500, 200 into three log entries and success, and gives up on an app
// that is down after the attempt cap. On both sandbox state databases (SQLite, PostgreSQL). Also the
// queue in process with a ManualClock: backoff schedule and what is due when.
#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>

#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "mno/http/fake_http_client.hpp"
#include "mno/util/base64.hpp"
#include "sandbox/sandbox_state.hpp"
#include "sandbox/webhook_delivery.hpp"
#include "support/platform/platform_fixture.hpp"
#include "support/test_database.hpp"
#include "support/test_env.hpp"
#include "web/server.hpp"

using namespace testenv;
using nlohmann::json;

namespace {

struct Received {
  std::string method, path, authorization;
};

// The partner app as far as webhooks go: records every request and answers from a script
// (default 200 {"success":true}).
class Receiver {
 public:
  Receiver() {
    auto handler = [this](web::Request& req) {
      std::lock_guard lock(mu_);
      received_.push_back({req.method, req.path, req.header("authorization").value_or("")});
      int status = 200;
      if (!script_.empty()) {
        status = script_.front();
        script_.pop_front();
      }
      return web::Response::json(status, status == 200 ? R"({"success":true})" : R"({"error":"boom"})");
    };
    router_.add("DELETE", "/maestrano/account/groups/{group}/{market}", handler);
    router_.add("DELETE", "/maestrano/account/groups/{group}/users/{user}/{market}", handler);
    web::ServerOptions o;
    o.access_log = false;
    o.worker_threads = 2;
    server_ = std::make_unique<web::Server>(router_, o);
    auto port = server_->start();
    if (port) port_ = *port;
  }
  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void script(std::initializer_list<int> statuses) {
    std::lock_guard lock(mu_);
    script_.assign(statuses);
  }
  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  web::Router router_;
  std::unique_ptr<web::Server> server_;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::deque<int> script_;
  std::vector<Received> received_;
};

class SandboxWebhooks : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_NE(receiver.port(), 0);
    std::string database;
    if (GetParam() == "postgresql") {
      test_db = create_test_database("postgresql");
      if (!test_db.db) {
        if (postgres_required()) FAIL() << "PostgreSQL required: " << test_db.error;
        GTEST_SKIP() << "PostgreSQL not configured (TALLY_TEST_PG_URL)";
      }
      database = test_db.url;
    } else {
      database = "sqlite:" + temp_dir("sandbox-webhooks") + "/sandbox.db";
    }
    port = free_port();
    url = "http://127.0.0.1:" + std::to_string(port);
    auto dir = temp_dir("sandbox-webhooks-log");
    process = std::make_unique<Process>(
        SANDBOX_BIN,
        std::vector<std::string>{"--port", std::to_string(port), "--database", database, "--app-host", receiver.url(),
                                 "--log-level", "warn", "--webhook-base-delay-ms", "5", "--webhook-max-delay-ms", "20",
                                 "--webhook-max-attempts", "3", "--webhook-timeout-ms", "2000"},
        std::map<std::string, std::string>{}, dir + "/sandbox.log");
    ASSERT_TRUE(process->wait_for_port(port)) << process->output();
    state = json::parse(http_get(url + "/control/v1/state").body);
  }

  std::string key_of(const std::string& market) {
    for (const auto& m : state["marketplaces"])
      if (m["name"] == market) return m["app_id"].get<std::string>() + ":" + m["api_key"].get<std::string>();
    return "";
  }
  mno::http::Response post(const std::string& path, const std::string& body = "") {
    mno::http::Request r;
    r.method = "POST";
    r.url = url + path;
    r.body = body;
    r.timeout = std::chrono::seconds(30);
    return http_send(r);
  }
  // Settles every pending delivery (retries without waiting for backoff), then reads the log.
  json settled_deliveries(const std::string& kind = "") {
    EXPECT_EQ(post("/control/v1/deliveries/run").status, 200);
    return json::parse(http_get(url + "/control/v1/deliveries" + (kind.empty() ? "" : "?kind=" + kind)).body)["deliveries"];
  }

  Receiver receiver;
  TestDatabase test_db;
  uint16_t port = 0;
  std::string url;
  std::unique_ptr<Process> process;
  json state;
};

TEST_P(SandboxWebhooks, CancelAndRemoveSendDeletesOnTheMarketplacePathsWithBasicCredentials) {
  auto cancel = post("/control/v1/groups/cld-1/cancel");
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  auto d = json::parse(cancel.body)["delivery"];
  EXPECT_EQ(d["kind"], "account.group_deleted");
  EXPECT_EQ(d["method"], "DELETE");
  EXPECT_EQ(d["url"], receiver.url() + "/maestrano/account/groups/cld-1/maestrano-sandbox");
  auto removed = post("/control/v1/groups/cld-4/users/usr-3/remove");
  ASSERT_EQ(removed.status, 200) << removed.body;

  auto log = settled_deliveries();
  ASSERT_EQ(log.size(), 2u);
  for (const auto& e : log) {
    EXPECT_EQ(e["state"], "delivered") << e.dump();
    EXPECT_EQ(e["attempts"], 1);
    ASSERT_EQ(e["log"].size(), 1u);
    EXPECT_EQ(e["log"][0]["status"], 200);
    EXPECT_EQ(e["log"][0]["response_body"], R"({"success":true})");
    EXPECT_GE(e["log"][0]["latency_ms"].get<int64_t>(), 0);
  }
  auto got = receiver.received();
  ASSERT_EQ(got.size(), 2u);
  std::sort(got.begin(), got.end(), [](const Received& a, const Received& b) { return a.path < b.path; });
  EXPECT_EQ(got[0].method, "DELETE");
  EXPECT_EQ(got[0].path, "/maestrano/account/groups/cld-1/maestrano-sandbox");
  EXPECT_EQ(got[0].authorization, "Basic " + mno::base64_encode(key_of("maestrano-sandbox")));
  EXPECT_EQ(got[1].path, "/maestrano/account/groups/cld-4/users/usr-3/partner-market");
  EXPECT_EQ(got[1].authorization, "Basic " + mno::base64_encode(key_of("partner-market")));

  // The sandbox's own state followed: the group is gone with its memberships, usr-3 left cld-4 only.
  EXPECT_EQ(http_get(url + "/control/v1/groups/cld-1").status, 404);
  auto memberships = json::parse(http_get(url + "/control/v1/memberships").body)["memberships"];
  for (const auto& m : memberships) {
    EXPECT_NE(m["group_uid"], "cld-1");
    EXPECT_FALSE(m["group_uid"] == "cld-4" && m["user_uid"] == "usr-3");
  }
  EXPECT_TRUE(std::any_of(memberships.begin(), memberships.end(),
                          [](const json& m) { return m["group_uid"] == "cld-4" && m["user_uid"] == "usr-2"; }));

  // Unknown targets are 404 and send nothing; the kind filter works.
  EXPECT_EQ(post("/control/v1/groups/cld-1/cancel").status, 404);
  EXPECT_EQ(post("/control/v1/groups/cld-4/users/usr-3/remove").status, 404);
  EXPECT_EQ(settled_deliveries("account.group_user_deleted").size(), 1u);
  EXPECT_EQ(receiver.received().size(), 2u);
}

TEST_P(SandboxWebhooks, TwoServerErrorsThenSuccessGiveThreeLogEntries) {
  receiver.script({500, 500, 200});
  ASSERT_EQ(post("/control/v1/groups/cld-2/users/usr-3/remove").status, 200);
  auto log = settled_deliveries();
  ASSERT_EQ(log.size(), 1u);
  const auto& d = log[0];
  EXPECT_EQ(d["state"], "delivered");
  EXPECT_EQ(d["attempts"], 3);
  ASSERT_EQ(d["log"].size(), 3u);
  EXPECT_EQ(d["log"][0]["status"], 500);
  EXPECT_EQ(d["log"][0]["response_body"], R"({"error":"boom"})");
  EXPECT_EQ(d["log"][1]["status"], 500);
  EXPECT_EQ(d["log"][2]["status"], 200);
  EXPECT_EQ(d["last_status"], 200);
  EXPECT_EQ(receiver.received().size(), 3u);
  auto one = http_get(url + "/control/v1/deliveries/" + std::to_string(d["id"].get<int64_t>()));
  EXPECT_EQ(json::parse(one.body)["log"].size(), 3u);
}

TEST_P(SandboxWebhooks, AnAppThatIsDownEndsFailedAfterTheAttemptCap) {
  mno::http::Request put;
  put.method = "PUT";
  put.url = url + "/control/v1/marketplaces/maestrano-sandbox/app-host";
  put.body = json{{"app_host", "http://127.0.0.1:" + std::to_string(free_port())}}.dump();
  ASSERT_EQ(http_send(put).status, 200);
  ASSERT_EQ(post("/control/v1/groups/cld-2/cancel").status, 200);
  auto log = settled_deliveries();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["state"], "failed");
  EXPECT_EQ(log[0]["attempts"], 3);
  ASSERT_EQ(log[0]["log"].size(), 3u);
  for (const auto& a : log[0]["log"]) {
    EXPECT_EQ(a["status"], 0);
    EXPECT_EQ(a["error"].get<std::string>().rfind("http.connect", 0), 0u) << a.dump();
  }
  EXPECT_NE(log[0]["finished_at"], "");
  // The admin page lists it.
  auto page = http_get(url + "/admin/deliveries");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("account.group_deleted"), std::string::npos);
  EXPECT_NE(page.body.find("failed"), std::string::npos);
}

TEST_P(SandboxWebhooks, AdminButtonsNeedTheCsrfToken) {
  mno::http::Request r;
  r.method = "POST";
  r.url = url + "/admin/groups/cld-2/cancel";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = "_csrf=forged";
  EXPECT_EQ(http_send(r).status, 403);
  EXPECT_EQ(http_get(url + "/control/v1/groups/cld-2").status, 200);

  auto admin = http_get(url + "/").body;
  const std::string marker = "name=\"_csrf\" value=\"";
  auto at = admin.find(marker);
  ASSERT_NE(at, std::string::npos);
  auto token = admin.substr(at + marker.size(), admin.find('"', at + marker.size()) - at - marker.size());
  r.body = "_csrf=" + token;
  auto ok = http_send(r);
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location").value_or(""), "/admin/deliveries");
  EXPECT_EQ(http_get(url + "/control/v1/groups/cld-2").status, 404);
  EXPECT_EQ(settled_deliveries().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SandboxWebhooks, ::testing::Values("sqlite", "postgresql"));

// ---- the queue in process: ManualClock decides what is due ----

TEST(DeliveryQueue, BackoffDoublesUpToTheCapAndOnlyDueRowsAreSent) {
  sandbox::DeliveryOptions o;
  o.base_delay = std::chrono::milliseconds(1000);
  o.max_delay = std::chrono::milliseconds(5000);
  o.max_attempts = 4;
  EXPECT_EQ(sandbox::delivery_backoff(o, 1).count(), 1000);
  EXPECT_EQ(sandbox::delivery_backoff(o, 2).count(), 2000);
  EXPECT_EQ(sandbox::delivery_backoff(o, 3).count(), 4000);
  EXPECT_EQ(sandbox::delivery_backoff(o, 4).count(), 5000);

  auto db = open_test_database("sqlite");
  ASSERT_TRUE(db);
  ASSERT_TRUE(mno::db::migrate(*db, sandbox::delivery_migrations()));
  mno::ManualClock clock;
  mno::http::FakeHttpClient http;
  const std::string target = "http://app.test/maestrano/account/groups/cld-9/m";
  http.on("DELETE", target, mno::http::Response{503, {}, "busy"});
  http.on("DELETE", target, mno::http::Response{503, {}, std::string(5000, 'x')});
  http.on("DELETE", target, mno::http::Response{204, {}, ""});
  sandbox::DeliveryQueue q(db, http, clock, o);
  sandbox::OutboundDelivery d;
  d.marketplace = "m";
  d.kind = "account.group_deleted";
  d.method = "DELETE";
  d.url = target;
  d.basic_auth = std::pair{"app-9", "secret"};
  auto id = q.enqueue(d);
  ASSERT_TRUE(id) << id.error().message;

  EXPECT_EQ(*q.run_due(), 1);  // attempt 1: 503
  EXPECT_EQ(*q.run_due(), 0);  // not due for 1 s
  clock.advance(std::chrono::milliseconds(999));
  EXPECT_EQ(*q.run_due(), 0);
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(*q.run_due(), 1);  // attempt 2: 503 with a long body
  clock.advance(std::chrono::milliseconds(1999));
  EXPECT_EQ(*q.run_due(), 0);
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(*q.run_due(), 1);  // attempt 3: 204
  auto rec = q.get(*id);
  ASSERT_TRUE(rec && *rec);
  EXPECT_EQ((*rec)->state, "delivered");
  EXPECT_EQ((*rec)->auth_user, "app-9");
  ASSERT_EQ((*rec)->log.size(), 3u);
  EXPECT_EQ((*rec)->log[1].response_body.size(), sandbox::kMaxLoggedBody);
  EXPECT_EQ((*rec)->log[2].status, 204);
  ASSERT_EQ(http.requests().size(), 3u);
  ASSERT_TRUE(http.requests()[0].basic_auth);
  EXPECT_EQ(http.requests()[0].basic_auth->second, "secret");
  EXPECT_EQ(*q.run_due(), 0);
}

}  // namespace
