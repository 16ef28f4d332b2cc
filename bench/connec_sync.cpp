// Load driver of the Connec! sync benchmark (bench/suites/connec.sh). One mode per run, so each figure gets its
// own peak RSS; every mode prints key=value lines. All storage is a SQLite file in the given directory (WAL,
// synchronous=FULL, as Tally runs). Connec! is mno-sandbox over loopback (real HTTP, libcurl) when
// BENCH_CONNEC_HOST, BENCH_CONNEC_API_ID, BENCH_CONNEC_API_KEY and BENCH_CONNEC_GROUP are set (import and outbox
// modes; the group holds the records to import), else an in-process fake behind mno::http::FakeHttpClient, so
// the figures are the sync engine's own cost (JSON paging included, network excluded).
//   import  N DIR   Importer: N records over organizations/people/items/invoices, pages of 100, into the inbox
//   notify  N DIR   notifications of 100 entities parsed and stored (what the webhook does before acknowledging)
//   apply   N DIR   InboxWorker applying N stored entities through a minimal adapter (one INSERT per record)
//   outbox  N DIR   Dispatcher pushing N outbox rows through /batch (50 ops per call)
//   raw     N DIR   the reference: the same rows as plain INSERTs (100 per transaction) into a one-table database
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "mno/connec/client.hpp"
#include "mno/connec/notification.hpp"
#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "mno/http/fake_http_client.hpp"
#include "mno/http/curl_http_client.hpp"
#include "mno/sync/dispatcher.hpp"
#include "mno/sync/import_schema.hpp"
#include "mno/sync/importer.hpp"
#include "mno/sync/inbox.hpp"
#include "mno/sync/inbox_worker.hpp"
#include "mno/sync/outbox.hpp"
#include "mno/sync/schema.hpp"
#include "mno/util/log.hpp"
#include "mno/util/random.hpp"

namespace {

using Json = nlohmann::json;
const std::vector<std::string> kCollections = {"organizations", "people", "items", "invoices"};

// A record of realistic size (about 500 bytes) for a collection.
Json make_record(const std::string& collection, int i) {
  Json r = {{"id", {{{"id", collection.substr(0, 3) + "-" + std::to_string(i)}, {"provider", "connec"}, {"realm", "org-1"}}}},
            {"group_id", "cld-bench"},
            {"channel_id", "org-1"},
            {"resource_type", collection},
            {"code", "C" + std::to_string(i)},
            {"status", "ACTIVE"},
            {"created_at", "2026-01-01T00:00:00Z"},
            {"updated_at", "2026-01-02T00:00:00Z"}};
  if (collection == "organizations")
    r["name"] = "Organization " + std::to_string(i), r["address"] = {{"billing", {{"line1", "1 Main Street"}, {"city", "Sydney"}, {"country", "AU"}}}};
  else if (collection == "people")
    r["first_name"] = "First" + std::to_string(i), r["last_name"] = "Last", r["email"] = {{"address", "p" + std::to_string(i) + "@example.com"}};
  else if (collection == "items")
    r["name"] = "Item " + std::to_string(i), r["sale_price"] = {{"net_amount", 12.5}, {"currency", "AUD"}};
  else
    r["title"] = "Invoice " + std::to_string(i), r["lines"] = Json::array({{{"description", "Work"}, {"quantity", 2}, {"unit_price", {{"net_amount", 50}}}}});
  return r;
}

class Directory final : public mno::sync::TenantDirectory {
 public:
  Directory(std::shared_ptr<mno::connec::Client> c, std::string group) : client_(std::move(c)), group_(std::move(group)) {}
  mno::Result<mno::sync::TenantTarget> target(std::string_view) override {
    return mno::sync::TenantTarget{client_, group_, {"tally", "1"}};
  }

 private:
  std::shared_ptr<mno::connec::Client> client_;
  std::string group_;
};

// Writes each inbound record as one row; pushes a fixed small record.
class BenchAdapter final : public mno::sync::EntityAdapter {
 public:
  explicit BenchAdapter(std::string collection) : collection_(std::move(collection)) {}
  std::string entity() const override { return collection_; }
  std::string collection() const override { return collection_; }
  mno::Result<Json> to_connec(mno::sync::OutboundContext&, const mno::sync::OutboxItem& item) override {
    return Json{{"name", "Record " + item.local_id}, {"status", "ACTIVE"}};
  }
  mno::Result<std::string> from_connec(mno::db::Connection& c, const mno::sync::InboundChange& ch) override {
    std::string id = ch.local_id.value_or("l-" + ch.connec_id);
    auto r = c.execute("INSERT INTO bench_records (tenant, id, body) VALUES ($1, $2, $3) "
                       "ON CONFLICT (tenant, id) DO UPDATE SET body = excluded.body",
                       {ch.tenant, id, ch.record.dump()});
    if (!r) return r.error();
    return id;
  }

 private:
  std::string collection_;
};

int64_t peak_rss_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  return 0;
}

std::shared_ptr<mno::db::Database> open_db(const std::string& path, bool sync_tables) {
  auto db = mno::db::open_database("sqlite:" + path);
  if (!db) throw std::runtime_error(db.error().message);
  std::vector<mno::db::Migration> m;
  if (sync_tables) {
    m = mno::sync::sync_migrations(1);
    for (auto& x : mno::sync::import_migrations(1 + mno::sync::kSyncMigrationCount)) m.push_back(x);
    m.push_back({10, "bench records", "CREATE TABLE bench_records (tenant TEXT NOT NULL, id TEXT NOT NULL, body TEXT, "
                                     "PRIMARY KEY (tenant, id))", ""});
  } else {
    m.push_back({1, "raw", "CREATE TABLE raw_rows (id INTEGER PRIMARY KEY, collection TEXT NOT NULL, connec_id TEXT NOT NULL, "
                           "payload TEXT NOT NULL)", ""});
  }
  if (auto s = mno::db::migrate(**db, m); !s) throw std::runtime_error(s.error().message);
  return *db;
}

// Serves every collection's pages like Connec! (pagination.next on all pages but the last). Records are made
// when their page is asked for, not held: the peak RSS measured is then the importer's, not the fake's.
void serve_collections(mno::http::FakeHttpClient& http, int per_collection) {
  http.set_fallback([per_collection](const mno::http::Request& r) -> mno::Result<mno::http::Response> {
    auto q = r.url.find('?');
    std::string path = r.url.substr(0, q);
    std::string coll = path.substr(path.find_last_of('/') + 1);
    auto num = [&](const std::string& key, int d) {
      auto p = r.url.find(key);
      return p == std::string::npos ? d : std::stoi(r.url.substr(p + key.size()));
    };
    int skip = num("%24skip=", 0), top = num("%24top=", 100);
    Json page = Json::array();
    for (int i = skip; i < skip + top && i < per_collection; ++i) page.push_back(make_record(coll, i));
    Json pagination = {{"skip", skip}, {"top", top}, {"total", per_collection}};
    if (skip + top < per_collection)
      pagination["next"] = path + "?%24skip=" + std::to_string(skip + top) + "&%24top=" + std::to_string(top);
    return mno::http::FakeHttpClient::json_response(200, {{coll, page}, {"pagination", pagination}});
  });
}

// Answers /batch with 201 and a Connec! id per op.
void serve_batch(mno::http::FakeHttpClient& http) {
  auto next = std::make_shared<std::atomic<int64_t>>(0);
  http.set_fallback([next](const mno::http::Request& r) -> mno::Result<mno::http::Response> {
    auto body = Json::parse(r.body);
    Json results = Json::array();
    for (auto& op : body["ops"]) {
      std::string url = op["url"];
      while (!url.empty() && url.back() == '/') url.pop_back();
      std::string coll = url.substr(url.find_last_of('/') + 1);
      Json rec = op["params"][coll];
      Json ids = rec.value("id", Json::array());
      ids.push_back({{"id", "uuid-" + std::to_string(++*next)}, {"provider", "connec"}, {"realm", "org-1"}});
      rec["id"] = ids;
      results.push_back({{"status", 201}, {"body", {{coll, rec}}}});
    }
    return mno::http::FakeHttpClient::json_response(200, {{"results", results}});
  });
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

// The sandbox's Connec! API over loopback when BENCH_CONNEC_HOST is set (with BENCH_CONNEC_API_ID, _API_KEY and
// _GROUP), else the in-process fake: the engine's cost alone.
bool use_sandbox() { return !env_or("BENCH_CONNEC_HOST", "").empty(); }

std::shared_ptr<mno::connec::Client> client(mno::http::HttpClient& http) {
  mno::connec::ClientOptions o;
  o.host = env_or("BENCH_CONNEC_HOST", "https://connec.bench");
  o.api_id = env_or("BENCH_CONNEC_API_ID", "bench");
  o.api_key = env_or("BENCH_CONNEC_API_KEY", "bench");
  return std::make_shared<mno::connec::Client>(http, o);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void report(const std::string& what, int64_t n, double secs) {
  std::printf("%s_records=%lld\n%s_seconds=%.3f\n%s_per_sec=%.0f\npeak_rss_kb=%lld\n", what.c_str(),
              static_cast<long long>(n), what.c_str(), secs, what.c_str(), n / secs,
              static_cast<long long>(peak_rss_kb()));
}

// Stores `n` notification entities (records round-robin over the collections) as the webhook would.
void store_notifications(mno::db::Database& db, int n) {
  for (int start = 0; start < n; start += 100) {
    Json body = Json::object();
    for (int i = start; i < std::min(n, start + 100); ++i) {
      const auto& c = kCollections[i % kCollections.size()];
      body[c].push_back(make_record(c, i));
    }
    auto parsed = mno::connec::parse_notification(body.dump());
    if (!parsed) throw std::runtime_error(parsed.error().message);
    std::vector<mno::sync::InboxEntry> entries;
    for (auto& e : parsed->entities) entries.push_back({"1", std::move(e)});
    auto s = mno::sync::store_inbox(db, entries, mno::SystemClock::instance().now());
    if (!s) throw std::runtime_error(s.error().message);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: bench_connec_sync import|notify|apply|outbox|raw N DIR\n";
    return 2;
  }
  mno::log::set_level("warn");
  const std::string mode = argv[1];
  const int n = std::stoi(argv[2]);
  const std::string dir = argv[3];
  const std::string path = dir + "/" + mode + ".db";
  std::remove(path.c_str());
  auto& clock = mno::SystemClock::instance();
  mno::SeededRandom random(7);
  try {
    if (mode == "raw") {
      auto db = open_db(path, false);
      std::vector<Json> rows;
      for (int i = 0; i < n; ++i) rows.push_back(make_record(kCollections[i % 4], i));
      auto t0 = std::chrono::steady_clock::now();
      for (int start = 0; start < n; start += 100) {
        auto s = db->transaction([&](mno::db::Connection& c) -> mno::Status {
          for (int i = start; i < std::min(n, start + 100); ++i) {
            auto r = c.execute("INSERT INTO raw_rows (collection, connec_id, payload) VALUES ($1, $2, $3)",
                               {kCollections[i % 4], "id-" + std::to_string(i), rows[i].dump()});
            if (!r) return r.error();
          }
          return {};
        });
        if (!s) throw std::runtime_error(s.error().message);
      }
      report("raw", n, seconds_since(t0));
      return 0;
    }
    auto db = open_db(path, true);
    mno::http::FakeHttpClient fake;
    mno::http::CurlHttpClient curl;
    mno::http::HttpClient& http = use_sandbox() ? static_cast<mno::http::HttpClient&>(curl) : fake;
    Directory directory(client(http), env_or("BENCH_CONNEC_GROUP", "cld-bench"));
    mno::sync::AdapterRegistry adapters;
    for (const auto& c : kCollections) adapters.add(std::make_shared<BenchAdapter>(c));
    if (mode == "import") {
      if (!use_sandbox()) serve_collections(fake, n / 4);
      auto run = mno::sync::request_import(*db, "1", kCollections, clock.now());
      if (!run) throw std::runtime_error(run.error().message);
      mno::sync::ImporterOptions o;
      o.worker_id = "bench";
      o.page_size = 100;
      o.max_pages_per_round = 1000000;
      mno::sync::Importer importer(db, directory, clock, random, o);
      auto t0 = std::chrono::steady_clock::now();
      auto r = importer.drain();
      if (!r) throw std::runtime_error(r.error().message);
      if (r->runs_done != 1) throw std::runtime_error("import did not finish");
      report("import", r->records, seconds_since(t0));
    } else if (mode == "notify") {
      auto t0 = std::chrono::steady_clock::now();
      store_notifications(*db, n);
      report("notify", n, seconds_since(t0));
    } else if (mode == "apply") {
      store_notifications(*db, n);
      mno::sync::InboxWorkerOptions o;
      o.worker_id = "bench";
      o.claim_limit = 500;
      mno::sync::InboxWorker worker(db, adapters, &directory, clock, random, o);
      auto t0 = std::chrono::steady_clock::now();
      auto r = worker.drain(1000000);
      if (!r) throw std::runtime_error(r.error().message);
      report("apply", r->applied, seconds_since(t0));
    } else if (mode == "outbox") {
      if (!use_sandbox()) serve_batch(fake);
      for (int start = 0; start < n; start += 500) {
        auto s = db->transaction([&](mno::db::Connection& c) -> mno::Status {
          for (int i = start; i < std::min(n, start + 500); ++i) {
            auto q = mno::sync::enqueue(c, {"1", kCollections[i % 4], std::to_string(i), "create", "", 1,
                                            mno::sync::Origin::local}, clock.now());
            if (!q) return q.error();
          }
          return {};
        });
        if (!s) throw std::runtime_error(s.error().message);
      }
      mno::sync::DispatcherOptions o;
      o.worker_id = "bench";
      o.claim_limit = 50;
      mno::sync::Dispatcher dispatcher(db, directory, adapters, clock, random, o);
      auto t0 = std::chrono::steady_clock::now();
      auto r = dispatcher.drain(1000000);
      if (!r) throw std::runtime_error(r.error().message);
      report("outbox", r->done, seconds_since(t0));
    } else {
      std::cerr << "unknown mode " << mode << "\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_connec_sync: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
