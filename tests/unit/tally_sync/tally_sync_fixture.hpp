// Fixture of the Tally sync tests: a migrated database (SQLite or PostgreSQL), the real services built with the
// outbox sink and Services::sync (as TallyApp wires them), one marketplace whose Connec! is the in-memory
// FakeConnec of the libmno sync tests, companies linked to groups, the libmno dispatcher and inbox worker over
// Tally's adapters, and the notifications route on a loopback web::Server.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mno/http/curl_http_client.hpp"
#include "mno/http/fake_http_client.hpp"
#include "mno/sync/dispatcher.hpp"
#include "mno/sync/inbox.hpp"
#include "mno/sync/inbox_worker.hpp"
#include "mno/sync/outbox.hpp"
#include "mno/util/base64.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/random.hpp"
#include "support/test_database.hpp"
#include "tally/app/services.hpp"
#include "tally/store/schema.hpp"
#include "tally/sync/sync_context.hpp"
#include "tally/web/connec_notification_routes.hpp"
#include "unit/sync/fake_connec.hpp"
#include "web/server.hpp"

namespace tallysync {

inline mno::config::Marketplace test_marketplace(const std::string& name, const std::string& id, const std::string& key) {
  mno::config::Marketplace m;
  m.name = name;
  m.api.id = id;
  m.api.key = key;
  m.api.host = "http://platform.test";
  m.api.base = "/api/v1/";
  m.app.host = "http://tally.test";
  m.connec.host = "http://connec.test";
  return m;
}

inline tally::CustomerInput customer_named(std::string name) {
  tally::CustomerInput in;
  in.name = std::move(name);
  return in;
}
inline tally::ProductInput product_named(std::string name, std::string price) {
  tally::ProductInput in;
  in.name = std::move(name);
  in.sale_price = std::move(price);
  return in;
}
inline tally::ContactInput contact_named(std::string first, std::string last, std::string customer_id) {
  tally::ContactInput in;
  in.first_name = std::move(first);
  in.last_name = std::move(last);
  in.customer_id = std::move(customer_id);
  return in;
}
class SyncTest : public testenv::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(mno::db::migrate(database(), tally::schema_migrations()).ok());
    registry.replace({test_marketplace("mkt", "app-1", "secret-1"), test_marketplace("other", "app-2", "secret-2")});
    http = std::make_shared<mno::http::FakeHttpClient>();
    connec = std::make_unique<synctest::FakeConnec>(*http);
    sink = std::make_shared<tally::sync::OutboxChangeSink>(clock);
    services = std::make_unique<tally::Services>(database_ptr(), clock, random, sink,
                                                 tally::PasswordHashLimits::minimum(), std::string(64, 'k'), registry,
                                                 web::SessionOptions{}, http);
    auto& s = *services;
    s.sync = std::make_shared<tally::sync::SyncContext>(tally::sync::SyncContext{
        std::make_shared<tally::sync::TallyTenantDirectory>(database_ptr(), registry, http, clock),
        tally::sync::make_adapters(s.customers, s.contacts, s.products, s.invoices), sink});
    mno::sync::DispatcherOptions d;
    d.worker_id = "test-outbox";
    d.backoff.base = std::chrono::milliseconds(100);
    d.backoff.cap = std::chrono::milliseconds(1000);
    dispatcher = std::make_unique<mno::sync::Dispatcher>(database_ptr(), *s.sync->directory, *s.sync->adapters, clock,
                                                         random, d);
    mno::sync::InboxWorkerOptions w;
    w.worker_id = "test-inbox";
    w.backoff.base = std::chrono::milliseconds(100);
    w.backoff.cap = std::chrono::milliseconds(1000);
    inbox = std::make_unique<mno::sync::InboxWorker>(database_ptr(), *s.sync->adapters, s.sync->directory.get(), clock,
                                                     random, w);
  }

  void TearDown() override {
    if (server) {
      server->stop();
      server->wait();
    }
  }

  // A signed-up company, linked to (marketplace, group) when group is not empty.
  int64_t company(const std::string& name, const std::string& group, const std::string& marketplace = "mkt") {
    static int n = 0;
    tally::SignUpInput in{"owner" + std::to_string(++n) + "-" + name + "@example.com", "correct-horse-battery", "Test",
                          "User", name, "EUR", "UTC", "FR"};
    auto r = services->accounts.sign_up(in);
    EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
    if (!r) return 0;
    if (!group.empty()) link(r->company.id, group, marketplace);
    return r->company.id;
  }
  void link(int64_t company_id, const std::string& group, const std::string& marketplace = "mkt") {
    auto x = database().execute("UPDATE companies SET marketplace = $1, external_uid = $2 WHERE id = $3",
                                {marketplace, group, company_id});
    ASSERT_TRUE(x.ok());
  }

  // The in-memory Connec! keys external ids by provider|realm|id without the collection, and every table of a
  // fresh database starts at id 1: records of a non-sharing company push the ids of later customers (2..),
  // contacts (3..), products (4..) and invoices (5..) apart so they cannot collide there.
  void spread_ids() {
    auto filler = company("Filler", "");
    auto cu = services->customers.create(filler, customer_named("F"));
    ASSERT_TRUE(cu.ok());
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(services->contacts.create(filler, contact_named("F", "", "")).ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(services->products.create(filler, product_named("F", "1")).ok());
    tally::InvoiceInput in;
    in.customer_id = std::to_string(cu->id);
    in.lines = {{"", "F", "1", "1", ""}};
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(services->invoices.create(filler, in).ok());
  }

  int64_t outbox_rows(std::optional<int64_t> company_id = std::nullopt) {
    auto c = mno::sync::count_outbox(database(), company_id ? std::optional<std::string>(std::to_string(*company_id))
                                                            : std::nullopt);
    EXPECT_TRUE(c.ok());
    return c ? c->pending + c->sending + c->done + c->dead : -1;
  }

  // Drains both directions, advancing the clock past any backoff, until nothing is due.
  void drain_all(int rounds = 10) {
    for (int i = 0; i < rounds; ++i) {
      auto a = dispatcher->drain();
      ASSERT_TRUE(a.ok()) << a.error().message;
      auto b = inbox->drain();
      ASSERT_TRUE(b.ok()) << b.error().message;
      clock.advance(std::chrono::seconds(2));
    }
  }

  // Connec! records of a collection in the fake.
  std::vector<nlohmann::json> remote(const std::string& resource_type_hint = "") {
    std::vector<nlohmann::json> out;
    for (auto& [id, r] : connec->records()) {
      (void)id;
      if (resource_type_hint.empty() || r.contains(resource_type_hint)) out.push_back(r);
    }
    return out;
  }

  // Starts the notifications route on loopback; returns the base URL.
  std::string serve() {
    router = std::make_unique<web::Router>();
    tally::add_connec_notification_routes(*router, *services);
    web::ServerOptions o;
    o.access_log = false;
    server = std::make_unique<web::Server>(*router, o);
    auto port = server->start();
    EXPECT_TRUE(port.ok());
    return "http://127.0.0.1:" + std::to_string(port ? *port : 0);
  }

  mno::http::Response post(const std::string& url, const std::string& body, const std::string& user = "app-1",
                           const std::string& pass = "secret-1") {
    static mno::http::CurlHttpClient client([] {
      mno::http::CurlOptions o;
      o.proxy = "";
      return o;
    }());
    mno::http::Request req;
    req.method = "POST";
    req.url = url;
    req.body = body;
    req.timeout = std::chrono::seconds(10);
    req.headers.emplace_back("Content-Type", "application/json");
    req.headers.emplace_back("Authorization", "Basic " + mno::base64_encode(user + ":" + pass));
    auto r = client.send(req);
    EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
    return r ? *r : mno::http::Response{};
  }

  mno::ManualClock clock;
  mno::SeededRandom random{42};
  mno::config::Registry registry;
  std::shared_ptr<mno::http::FakeHttpClient> http;
  std::unique_ptr<synctest::FakeConnec> connec;
  std::shared_ptr<tally::sync::OutboxChangeSink> sink;
  std::unique_ptr<tally::Services> services;
  std::unique_ptr<mno::sync::Dispatcher> dispatcher;
  std::unique_ptr<mno::sync::InboxWorker> inbox;
  std::unique_ptr<web::Router> router;
  std::unique_ptr<web::Server> server;
};

// {id:[{id: connec_id, provider: connec, realm: org-1}]} plus fields.
inline nlohmann::json connec_record(const std::string& connec_id, const std::string& group, nlohmann::json fields,
                                    const std::string& updated_at = "2030-01-01T00:00:00Z") {
  fields["id"] = nlohmann::json::array({{{"id", connec_id}, {"provider", "connec"}, {"realm", "org-1"}}});
  fields["group_id"] = group;
  fields["updated_at"] = updated_at;
  return fields;
}
inline nlohmann::json ref(const std::string& connec_id) {
  return nlohmann::json::array({{{"id", connec_id}, {"provider", "connec"}, {"realm", "org-1"}}});
}

}  // namespace tallysync
