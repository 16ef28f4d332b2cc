// Shared fixture of the sync tests: a fresh database (SQLite and PostgreSQL) with the sync tables and a tiny
// "contacts" table, a contacts <-> people adapter, one tenant routed to a FakeConnec, ManualClock and SeededRandom.
#pragma once
#include <gtest/gtest.h>

#include <memory>

#include "fake_connec.hpp"
#include "mno/connec/client.hpp"
#include "mno/db/migrations.hpp"
#include "mno/sync/adapter.hpp"
#include "mno/sync/import_schema.hpp"
#include "mno/sync/schema.hpp"
#include "support/test_database.hpp"

namespace synctest {

#define SYNC_ASSERT_OK(expr)                                                                     \
  do {                                                                                           \
    const auto& r_ = (expr);                                                                     \
    ASSERT_TRUE(r_.ok()) << #expr << " failed: " << r_.error().code << ": " << r_.error().message; \
  } while (0)

// Local contacts: (tenant, id) -> name. Applying inbound changes goes through the app's change hook, which
// calls sync::enqueue with the change's origin: Origin::connec must produce no outbox row.
class ContactsAdapter final : public mno::sync::EntityAdapter {
 public:
  std::string entity() const override { return "contacts"; }
  std::string collection() const override { return "people"; }
  mno::Result<nlohmann::json> to_connec(mno::sync::OutboundContext&, const mno::sync::OutboxItem& item) override {
    if (item.payload == "gone") return mno::make_error("sync.gone", "deleted");
    if (item.payload == "wait") return mno::make_error("sync.waiting", "organization not pushed yet");
    auto j = nlohmann::json::parse(item.payload, nullptr, false);
    if (!j.is_object()) return mno::make_error("test.bad_payload", "payload is not JSON");
    return nlohmann::json{{"first_name", j.value("name", "")}, {"last_name", "Test"}};
  }
  mno::Result<std::string> from_connec(mno::db::Connection& c, const mno::sync::InboundChange& ch) override {
    if (ch.record.value("first_name", "") == "needs-org") return mno::make_error("sync.waiting", "organization unknown");
    std::string id = ch.local_id.value_or("");
    if (id.empty()) {
      auto r = c.query("SELECT COUNT(*) FROM test_contacts WHERE tenant = $1", {ch.tenant});
      if (!r) return r.error();
      id = "c" + std::to_string(r->at(0).i64(0) + 1000);
      auto ins = c.execute("INSERT INTO test_contacts (tenant, id, name) VALUES ($1, $2, $3)",
                           {ch.tenant, id, ch.record.value("first_name", "")});
      if (!ins) return ins.error();
      // A write that fails after touching the table: the worker must roll it back alone.
      if (ch.record.value("first_name", "") == "half-written") return mno::make_error("sync.invalid", "bad record");
    } else {
      auto up = c.execute("UPDATE test_contacts SET name = $1 WHERE tenant = $2 AND id = $3",
                          {ch.record.value("first_name", ""), ch.tenant, id});
      if (!up) return up.error();
    }
    // The app's change hook: an inbound write carries Origin::connec.
    mno::sync::OutboxChange change{ch.tenant, "contacts", id, "update", "{}", 0, ch.origin};
    auto q = mno::sync::enqueue(c, change, std::chrono::system_clock::now());
    if (!q) return q.error();
    ++applied;
    return id;
  }
  int applied = 0;
};

class Directory final : public mno::sync::TenantDirectory {
 public:
  explicit Directory(std::shared_ptr<mno::connec::Client> client) : client_(std::move(client)) {}
  mno::Result<mno::sync::TenantTarget> target(std::string_view tenant) override {
    if (tenant == "gone") return mno::make_error("sync.unknown_tenant", "no longer shared");
    return mno::sync::TenantTarget{client_, "cld-" + std::string(tenant), {"tally", std::string(tenant)}};
  }

 private:
  std::shared_ptr<mno::connec::Client> client_;
};

class SyncTest : public testenv::DatabaseTest {
 protected:
  void SetUp() override {
    testenv::DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto migrations = mno::sync::sync_migrations(1);
    migrations.push_back({10, "test contacts", "CREATE TABLE test_contacts (tenant TEXT NOT NULL, id TEXT NOT NULL, "
                                              "name TEXT, PRIMARY KEY (tenant, id))", ""});
    for (auto& m : mno::sync::import_migrations(11)) migrations.push_back(m);
    SYNC_ASSERT_OK(mno::db::migrate(database(), migrations));
    mno::connec::ClientOptions o;
    o.host = "https://connec.test";
    o.api_id = "app-1";
    o.api_key = "k";
    o.clock = &clock_;
    client_ = std::make_shared<mno::connec::Client>(http_, o);
    directory_ = std::make_unique<Directory>(client_);
    adapter_ = std::make_shared<ContactsAdapter>();
    adapters_.add(adapter_);
  }

  mno::Result<std::optional<int64_t>> enqueue(const std::string& tenant, const std::string& id, const std::string& payload,
                                              const std::string& op = "update",
                                              mno::sync::Origin origin = mno::sync::Origin::local) {
    return database().transact([&](mno::db::Connection& c) {
      return mno::sync::enqueue(c, {tenant, "contacts", id, op, payload, 0, origin}, clock_.now());
    });
  }

  mno::ManualClock clock_;
  mno::SeededRandom random_{42};
  mno::http::FakeHttpClient http_;
  FakeConnec connec_{http_};
  std::shared_ptr<mno::connec::Client> client_;
  std::unique_ptr<Directory> directory_;
  std::shared_ptr<ContactsAdapter> adapter_;
  mno::sync::AdapterRegistry adapters_;
};

}  // namespace synctest
