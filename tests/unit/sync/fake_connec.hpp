// Test double for the sync tests: an in-memory Connec! behind FakeHttpClient that implements POST upsert on
// external ids (and /batch of posts), with a per-request fault plan (5xx, 429 + Retry-After, 400, connect error,
// "apply then drop the reply"), so tests can count remote records and prove "no duplicate".
#pragma once
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "mno/connec/ids.hpp"
#include "mno/http/fake_http_client.hpp"

namespace synctest {

enum class Fault { none, server_error, rate_limited, bad_request, connect_error, apply_then_drop };

class FakeConnec {
 public:
  explicit FakeConnec(mno::http::FakeHttpClient& http) {
    http.set_fallback([this](const mno::http::Request& r) { return handle(r); });
  }
  void plan(Fault f) {
    std::lock_guard l(mu_);
    faults_.push_back(f);
  }
  size_t record_count() {
    std::lock_guard l(mu_);
    return records_.size();
  }
  int posts() {
    std::lock_guard l(mu_);
    return posts_;
  }
  int batches() {
    std::lock_guard l(mu_);
    return batches_;
  }
  nlohmann::json record(const std::string& connec_id) {
    std::lock_guard l(mu_);
    return records_.at(connec_id);
  }
  std::map<std::string, nlohmann::json> records() {
    std::lock_guard l(mu_);
    return records_;
  }

 private:
  // Upsert: a record whose id array matches an existing external id is updated, else created.
  std::pair<int, nlohmann::json> upsert(const std::string& coll, const nlohmann::json& rec) {
    std::string found;
    for (auto& e : mno::connec::parse_id_array(rec.value("id", nlohmann::json()))) {
      auto it = by_ext_.find(e.provider + "|" + e.realm + "|" + e.id);
      if (it != by_ext_.end()) found = it->second;
      if (e.provider == "connec" && records_.count(e.id)) found = e.id;
    }
    int status = 200;
    if (found.empty()) {
      found = "uuid-" + std::to_string(++next_id_);
      records_[found] = nlohmann::json::object();
      status = 201;
    }
    auto& stored = records_[found];
    for (auto& [k, v] : rec.items())
      if (k != "id") stored[k] = v;
    nlohmann::json ids = nlohmann::json::array();
    ids.push_back({{"id", found}, {"provider", "connec"}, {"realm", "org-1"}});
    for (auto& e : mno::connec::parse_id_array(rec.value("id", nlohmann::json()))) {
      if (e.provider == "connec") continue;
      by_ext_[e.provider + "|" + e.realm + "|" + e.id] = found;
      ids.push_back({{"id", e.id}, {"provider", e.provider}, {"realm", e.realm}});
    }
    stored["id"] = ids;
    return {status, {{coll, stored}}};
  }

  static std::string collection_of(const std::string& url) {
    // .../api/v2/{gid}/{coll}[/]
    std::string u = url;
    while (!u.empty() && u.back() == '/') u.pop_back();
    return u.substr(u.find_last_of('/') + 1);
  }

  mno::Result<mno::http::Response> handle(const mno::http::Request& r) {
    std::lock_guard l(mu_);
    Fault f = Fault::none;
    if (!faults_.empty()) {
      f = faults_.front();
      faults_.pop_front();
    }
    using mno::http::FakeHttpClient;
    switch (f) {
      case Fault::server_error: return FakeHttpClient::json_response(503, {{"errors", {{{"status", "503"}}}}});
      case Fault::rate_limited: {
        auto resp = FakeHttpClient::json_response(429, {{"errors", {{{"status", "429"}}}}});
        resp.headers.emplace_back("retry-after", "30");
        return resp;
      }
      case Fault::bad_request:
        return FakeHttpClient::json_response(400, {{"errors", {{{"status", "400"}, {"detail", "name is required"}}}}});
      case Fault::connect_error: return mno::make_error("http.connect", "connection refused");
      default: break;
    }
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    mno::http::Response resp;
    if (r.method == "POST" && r.url.size() >= 6 && r.url.compare(r.url.size() - 6, 6, "/batch") == 0) {
      ++batches_;
      nlohmann::json results = nlohmann::json::array();
      for (auto& op : body["ops"]) {
        std::string coll = collection_of(op["url"].get<std::string>());
        ++posts_;
        auto [st, b] = upsert(coll, op["params"][coll]);
        results.push_back({{"status", st}, {"body", b}});
      }
      resp = FakeHttpClient::json_response(200, {{"results", results}});
    } else if (r.method == "POST") {
      std::string coll = collection_of(r.url);
      ++posts_;
      auto [st, b] = upsert(coll, body[coll]);
      resp = FakeHttpClient::json_response(st, b);
    } else {
      return FakeHttpClient::json_response(404, {{"errors", nlohmann::json::array()}});
    }
    if (f == Fault::apply_then_drop) return mno::make_error("http.transport", "connection reset after apply");
    return resp;
  }

  std::mutex mu_;
  std::deque<Fault> faults_;
  std::map<std::string, nlohmann::json> records_;
  std::map<std::string, std::string> by_ext_;
  int next_id_ = 0;
  int posts_ = 0;
  int batches_ = 0;
};

}  // namespace synctest
