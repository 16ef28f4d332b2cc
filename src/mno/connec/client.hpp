// Connec! REST client for one marketplace (connec.md 1.1-1.6, 1.8): collection paths under a group id, HTTP
// Basic api.id:api.key, CONNEC-EXTERNAL-IDS: true, list with $filter/$orderby/$top/$skip following
// pagination.next, get, POST upsert, PUT, and batch (<= 50 ops) at {host}/batch. Every outcome is a value; error
// codes are in errors.hpp. Stateless apart from its options: one Client may be shared by threads as long as the
// HttpClient is thread safe (CurlHttpClient and FakeHttpClient are).
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/config/marketplace.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::connec {

inline constexpr size_t kMaxBatchOps = 50;

struct ClientOptions {
  std::string host;                 // "https://api-connec.maestrano.com" (no trailing slash needed)
  std::string base_path = "/api/v2";
  std::string api_id;               // HTTP Basic user
  std::string api_key;              // HTTP Basic password (never logged)
  std::chrono::milliseconds timeout{60000};
  std::chrono::milliseconds connect_timeout{5000};
  int default_page_size = 100;      // $top when a list query gives none
  size_t max_pages = 100000;        // guard against a server whose `next` never ends
  const Clock* clock = nullptr;     // Retry-After dates; nullptr = SystemClock
};

// host, base_path, api.id/api.key and timeout of a marketplace.
ClientOptions client_options(const config::Marketplace& marketplace);

struct ListQuery {
  std::string filter;                // $filter, e.g. "updated_at gt '2016-05-12T10:00:00Z'"
  std::string orderby;               // $orderby, e.g. "updated_at ASC"
  std::optional<int> top;            // $top (page size)
  std::optional<int> skip;           // $skip
};

struct Page {
  std::vector<nlohmann::json> records;
  int64_t skip = 0;
  int64_t top = 0;
  std::optional<int64_t> total;      // pagination.total when given
  std::optional<std::string> next;   // pagination.next (absolute URL) when there is a further page
};

struct WriteResult {
  int status = 0;             // 201 created, 200 updated (upsert/smart-merge match, PUT)
  nlohmann::json record;      // the record as Connec! returned it
  std::string connec_id;      // from record.id's provider "connec" entry ("" when absent)
};

struct BatchOp {
  std::string method;          // "post" (upsert) or "put"
  std::string group_id;
  std::string collection;
  std::string connec_id;       // required for put, empty for post
  nlohmann::json record;       // the resource hash (the client wraps it in {collection: ...})
};

struct BatchResult {
  int status = 0;
  nlohmann::json body;         // the op's body as returned
  nlohmann::json record;       // body[collection] when present, else null
  std::string connec_id;       // from record.id, "" when absent
  std::optional<Error> error;  // set when status is not 200/201 (codes of errors.hpp)
};

class Client {
 public:
  Client(http::HttpClient& http, ClientOptions options);

  const ClientOptions& options() const { return options_; }

  // "/api/v2/{group}/{collection}" and "/api/v2/{group}/{collection}/{id}" (id percent-encoded).
  // Group ids and collection names must be plain segments ([A-Za-z0-9_.-], not "." or "..").
  Result<std::string> collection_path(std::string_view group_id, std::string_view collection) const;
  Result<std::string> record_path(std::string_view group_id, std::string_view collection, std::string_view connec_id) const;

  // One page. Query parameters are sent URL-encoded ($ as %24) in sorted key order, like the framework.
  Result<Page> list(std::string_view group_id, std::string_view collection, const ListQuery& query = {});
  // The page behind a pagination.next URL. Only a URL on this client's host and under this collection's path is
  // followed (anything else is connec.bad_response: a hostile `next` must not send our credentials elsewhere).
  Result<Page> list_next(std::string_view group_id, std::string_view collection, std::string_view next_url);
  // Every page from `query` on, calling on_page for each (stop early by returning an error, which is returned).
  Status for_each_page(std::string_view group_id, std::string_view collection, const ListQuery& query,
                       const std::function<Status(const Page&)>& on_page);
  // All records of every page (small collections and tests; use for_each_page for imports).
  Result<std::vector<nlohmann::json>> list_all(std::string_view group_id, std::string_view collection,
                                               const ListQuery& query = {});

  // One record; an empty connec_id reads a singular resource such as "company".
  Result<nlohmann::json> get(std::string_view group_id, std::string_view collection, std::string_view connec_id);

  // POST {collection: record}. With the app's {id, provider, realm} in record.id this is an upsert: retrying it
  // after connec.ambiguous updates the same Connec! record instead of creating a second one.
  Result<WriteResult> upsert(std::string_view group_id, std::string_view collection, const nlohmann::json& record);
  // PUT {collection: record} to the record (sparse update; an empty connec_id updates a singular resource).
  Result<WriteResult> update(std::string_view group_id, std::string_view collection, std::string_view connec_id,
                             const nlohmann::json& record);

  // POST {host}/batch {sequential, ops}; at most kMaxBatchOps ops (connec.invalid_argument otherwise). Results in op
  // order, one per op; a response with another count is connec.bad_response. A transport failure is
  // connec.ambiguous for the whole batch.
  Result<std::vector<BatchResult>> batch(const std::vector<BatchOp>& ops, bool sequential = true);

 private:
  http::Request make_request(std::string method, std::string url, const nlohmann::json* body) const;
  Result<http::Response> send(const http::Request& request, bool write);
  Result<Page> fetch_page(std::string_view collection, const std::string& url);
  TimePoint now() const;

  http::HttpClient& http_;
  ClientOptions options_;
};

}  // namespace mno::connec
