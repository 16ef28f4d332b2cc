// Connec! REST client; see client.hpp.
#include "mno/connec/client.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "mno/connec/errors.hpp"
#include "mno/connec/ids.hpp"
#include "mno/http/json_request.hpp"

namespace mno::connec {
namespace {

using nlohmann::json;

bool plain_segment(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; });
}

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string trim_slashes_right(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string normalized_base(const std::string& base) {
  std::string b = trim_slashes_right(base);
  if (!b.empty() && b.front() != '/') b.insert(b.begin(), '/');
  return b;
}

// "https://h:1/x" -> "https://h:1" (lower-cased), "" when not absolute.
std::string origin_of(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto slash = url.find_first_of("/?#", scheme + 3);
  std::string o(url.substr(0, slash == std::string_view::npos ? url.size() : slash));
  std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return o;
}

Error invalid_argument(std::string message) { return make_error("connec.invalid_argument", std::move(message)); }
Error bad_response(std::string message) { return make_error("connec.bad_response", std::move(message)); }

std::string connec_id_of(const json& record) {
  if (!record.is_object()) return {};
  auto it = record.find("id");
  if (it == record.end()) return {};
  return find_connec_id(*it).value_or("");
}

}  // namespace

ClientOptions client_options(const config::Marketplace& m) {
  ClientOptions o;
  o.host = m.connec.host;
  o.base_path = m.connec.base_path;
  o.api_id = m.api.id;
  o.api_key = m.api.key;
  o.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(m.connec.timeout);
  return o;
}

Client::Client(http::HttpClient& http, ClientOptions options) : http_(http), options_(std::move(options)) {
  options_.host = trim_slashes_right(options_.host);
  options_.base_path = normalized_base(options_.base_path);
}

TimePoint Client::now() const { return options_.clock ? options_.clock->now() : SystemClock::instance().now(); }

Result<std::string> Client::collection_path(std::string_view group_id, std::string_view collection) const {
  if (!plain_segment(group_id)) return invalid_argument("invalid Connec! group id");
  if (!plain_segment(collection)) return invalid_argument("invalid Connec! collection name");
  return options_.base_path + "/" + std::string(group_id) + "/" + std::string(collection);
}

Result<std::string> Client::record_path(std::string_view group_id, std::string_view collection,
                                        std::string_view connec_id) const {
  auto p = collection_path(group_id, collection);
  if (!p) return p.error();
  if (connec_id.empty()) return *p;
  return *p + "/" + percent_encode(connec_id);
}

http::Request Client::make_request(std::string method, std::string url, const json* body) const {
  http::Request r = http::json_request(std::move(method), std::move(url), body ? *body : json(nullptr));
  r.headers.emplace_back("CONNEC-EXTERNAL-IDS", "true");
  r.basic_auth = std::make_pair(options_.api_id, options_.api_key);
  r.timeout = options_.timeout;
  r.connect_timeout = options_.connect_timeout;
  return r;
}

Result<http::Response> Client::send(const http::Request& request, bool write) {
  auto r = http_.send(request);
  if (!r) return error_from_transport(r.error(), write);
  if (r->status < 200 || r->status >= 300) return error_from_response(*r, now());
  return std::move(r).value();
}

Result<Page> Client::fetch_page(std::string_view collection, const std::string& url) {
  auto resp = send(make_request("GET", url, nullptr), false);
  if (!resp) return resp.error();
  auto j = json::parse(resp->body, nullptr, false);
  if (!j.is_object()) return bad_response("Connec! list response is not a JSON object");
  auto it = j.find(collection);
  if (it == j.end()) return bad_response("Connec! list response lacks the \"" + std::string(collection) + "\" key");
  Page page;
  if (it->is_array()) {
    for (auto& r : *it) page.records.push_back(r);
  } else if (it->is_object()) {
    page.records.push_back(*it);  // singular resource
  } else if (!it->is_null()) {
    return bad_response("Connec! list response: \"" + std::string(collection) + "\" is not an array");
  }
  if (auto p = j.find("pagination"); p != j.end() && p->is_object()) {
    if (auto v = p->find("skip"); v != p->end() && v->is_number_integer()) page.skip = v->get<int64_t>();
    if (auto v = p->find("top"); v != p->end() && v->is_number_integer()) page.top = v->get<int64_t>();
    if (auto v = p->find("total"); v != p->end() && v->is_number_integer()) page.total = v->get<int64_t>();
    if (auto v = p->find("next"); v != p->end() && v->is_string() && !v->get<std::string>().empty())
      page.next = v->get<std::string>();
  }
  return page;
}

Result<Page> Client::list(std::string_view group_id, std::string_view collection, const ListQuery& query) {
  auto path = collection_path(group_id, collection);
  if (!path) return path.error();
  // Sorted keys, $ encoded, as Rails to_query does.
  std::map<std::string, std::string> params;
  if (!query.filter.empty()) params["$filter"] = query.filter;
  if (!query.orderby.empty()) params["$orderby"] = query.orderby;
  if (query.skip) params["$skip"] = std::to_string(*query.skip);
  params["$top"] = std::to_string(query.top.value_or(options_.default_page_size));
  std::string url = options_.host + *path;
  char sep = '?';
  for (auto& [k, v] : params) {
    url += sep;
    url += percent_encode(k) + "=" + percent_encode(v);
    sep = '&';
  }
  return fetch_page(collection, url);
}

Result<Page> Client::list_next(std::string_view group_id, std::string_view collection, std::string_view next_url) {
  auto path = collection_path(group_id, collection);
  if (!path) return path.error();
  std::string rest;
  if (!next_url.empty() && next_url.front() == '/') {
    rest = std::string(next_url);
  } else {
    std::string o = origin_of(next_url);
    if (o.empty() || o != origin_of(options_.host))
      return bad_response("Connec! pagination.next points to another host; not followed");
    rest = std::string(next_url.substr(o.size()));
  }
  auto q = rest.find_first_of("?#");
  std::string rest_path = rest.substr(0, q);
  while (rest_path.size() > 1 && rest_path.back() == '/') rest_path.pop_back();
  if (rest_path != *path && rest_path != *path + ".json")
    return bad_response("Connec! pagination.next leaves the collection path; not followed");
  if (rest.find('#') != std::string::npos) rest = rest.substr(0, rest.find('#'));
  return fetch_page(collection, options_.host + rest);
}

Status Client::for_each_page(std::string_view group_id, std::string_view collection, const ListQuery& query,
                             const std::function<Status(const Page&)>& on_page) {
  auto page = list(group_id, collection, query);
  for (size_t n = 0;; ++n) {
    if (!page) return page.error();
    if (auto s = on_page(*page); !s) return s;
    if (!page->next || page->records.empty()) return {};
    if (n + 1 >= options_.max_pages) return bad_response("Connec! pagination did not end after max_pages pages");
    std::string next = *page->next;
    page = list_next(group_id, collection, next);
  }
}

Result<std::vector<json>> Client::list_all(std::string_view group_id, std::string_view collection, const ListQuery& query) {
  std::vector<json> all;
  auto s = for_each_page(group_id, collection, query, [&](const Page& p) -> Status {
    all.insert(all.end(), p.records.begin(), p.records.end());
    return {};
  });
  if (!s) return s.error();
  return all;
}

Result<json> Client::get(std::string_view group_id, std::string_view collection, std::string_view connec_id) {
  auto path = record_path(group_id, collection, connec_id);
  if (!path) return path.error();
  auto resp = send(make_request("GET", options_.host + *path, nullptr), false);
  if (!resp) return resp.error();
  auto j = json::parse(resp->body, nullptr, false);
  if (!j.is_object()) return bad_response("Connec! response is not a JSON object");
  auto it = j.find(collection);
  if (it == j.end() || !it->is_object())
    return bad_response("Connec! response lacks the \"" + std::string(collection) + "\" object");
  return *it;
}

namespace {

Result<WriteResult> write_result(const http::Response& resp, std::string_view collection) {
  WriteResult w;
  w.status = resp.status;
  auto j = json::parse(resp.body, nullptr, false);
  if (!j.is_object()) return bad_response("Connec! write response is not a JSON object");
  auto it = j.find(collection);
  if (it == j.end() || !it->is_object())
    return bad_response("Connec! write response lacks the \"" + std::string(collection) + "\" object");
  w.record = *it;
  w.connec_id = connec_id_of(w.record);
  return w;
}

}  // namespace

Result<WriteResult> Client::upsert(std::string_view group_id, std::string_view collection, const json& record) {
  auto path = collection_path(group_id, collection);
  if (!path) return path.error();
  json body = {{std::string(collection), record}};
  auto resp = send(make_request("POST", options_.host + *path, &body), true);
  if (!resp) return resp.error();
  return write_result(*resp, collection);
}

Result<WriteResult> Client::update(std::string_view group_id, std::string_view collection, std::string_view connec_id,
                                   const json& record) {
  auto path = record_path(group_id, collection, connec_id);
  if (!path) return path.error();
  json body = {{std::string(collection), record}};
  auto resp = send(make_request("PUT", options_.host + *path, &body), true);
  if (!resp) return resp.error();
  return write_result(*resp, collection);
}

Result<std::vector<BatchResult>> Client::batch(const std::vector<BatchOp>& ops, bool sequential) {
  if (ops.empty()) return std::vector<BatchResult>{};
  if (ops.size() > kMaxBatchOps)
    return invalid_argument("a Connec! batch carries at most " + std::to_string(kMaxBatchOps) + " operations");
  json jops = json::array();
  for (const auto& op : ops) {
    if (op.method != "post" && op.method != "put") return invalid_argument("batch op method must be post or put");
    if (op.method == "put" && op.connec_id.empty()) return invalid_argument("a batch put needs a Connec! id");
    auto path = op.method == "post" ? collection_path(op.group_id, op.collection)
                                    : record_path(op.group_id, op.collection, op.connec_id);
    if (!path) return path.error();
    std::string url = *path + (op.method == "post" ? "/" : "");
    jops.push_back({{"method", op.method}, {"url", url}, {"params", {{op.collection, op.record}}}});
  }
  json body = {{"sequential", sequential}, {"ops", jops}};
  auto resp = send(make_request("POST", options_.host + "/batch", &body), true);
  if (!resp) return resp.error();
  auto j = json::parse(resp->body, nullptr, false);
  if (!j.is_object() || !j.contains("results") || !j["results"].is_array())
    return bad_response("Connec! batch response lacks a results array");
  const auto& results = j["results"];
  if (results.size() != ops.size())
    return bad_response("Connec! batch returned " + std::to_string(results.size()) + " results for " +
                        std::to_string(ops.size()) + " operations");
  std::vector<BatchResult> out;
  for (size_t i = 0; i < ops.size(); ++i) {
    BatchResult br;
    const auto& r = results[i];
    if (r.is_object()) {
      if (auto s = r.find("status"); s != r.end()) {
        if (s->is_number_integer()) br.status = s->get<int>();
        else if (s->is_string()) br.status = std::atoi(s->get<std::string>().c_str());
      }
      if (auto b = r.find("body"); b != r.end()) br.body = *b;
    }
    if (br.status == 200 || br.status == 201) {
      if (br.body.is_object()) {
        if (auto rec = br.body.find(ops[i].collection); rec != br.body.end() && rec->is_object()) br.record = *rec;
      }
      br.connec_id = connec_id_of(br.record);
      if (br.record.is_null()) br.error = bad_response("batch result lacks the \"" + ops[i].collection + "\" object");
    } else {
      br.error = error_from_status(br.status, br.body.is_string() ? br.body.get<std::string>() : br.body.dump());
    }
    out.push_back(std::move(br));
  }
  return out;
}

}  // namespace mno::connec
