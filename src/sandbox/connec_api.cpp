// See connec_api.hpp. Every API request: authenticate (constant time over all marketplaces), check the
// group belongs to the caller's marketplace, consult the fault injector, then run the operation. The
// same operation code serves plain HTTP, each /batch op, and the control API's "as another app" writes,
// so the three cannot drift apart.
#include "sandbox/connec_api.hpp"

#include <chrono>
#include <thread>
#include <variant>

#include <nlohmann/json.hpp>

#include "mno/util/log.hpp"
#include "mno/util/random.hpp"
#include "mno/webhook/basic_auth.hpp"
#include "sandbox/connec_record.hpp"
#include "sandbox/connec_seed.hpp"
#include "web/header_values.hpp"
#include "web/route_options.hpp"
#include "web/url.hpp"

namespace sandbox {
namespace {

using nlohmann::json;
using Params = std::vector<std::pair<std::string, std::string>>;

constexpr size_t kMaxBatchOps = 50;
constexpr const char* kDocs = "https://maestrano.atlassian.net/wiki/display/DEV/Connec!+API";

struct Outcome {
  int status = 200;
  json body;
  std::string location;  // set on 201
};

json error_body(int status, const std::string& code, const std::string& title, const std::string& detail) {
  return {{"errors",
           json::array({{{"id", new_connec_id(mno::SecureRandom::instance())},
                         {"href", kDocs},
                         {"status", std::to_string(status)},
                         {"code", code},
                         {"title", title},
                         {"detail", detail}}})}};
}

Outcome error_outcome(int status, const std::string& code, const std::string& title, const std::string& detail) {
  return {status, error_body(status, code, title, detail), ""};
}

Outcome outcome_of(const mno::Error& e) {
  if (e.code == "connec.not_found") return error_outcome(404, "resource-not-found", "Resource not found", e.message);
  if (e.code == "connec.invalid" || e.code == "connec.bad_filter" || e.code == "connec.bad_orderby")
    return error_outcome(400, "bad-request", "Bad request", e.message);
  if (e.code == "connec.conflict") return error_outcome(409, "conflict", "Conflict", e.message);
  mno::log::error("sandbox.connec_error", {{"code", e.code}, {"message", e.message}});
  return error_outcome(500, "internal-error", "Internal error", "sandbox state error");
}

web::Response respond(const Outcome& o) {
  auto r = web::Response::json(o.status, o.body.dump());
  if (!o.location.empty()) r.set_header("Location", o.location);
  return r;
}

web::Response unauthorized(const std::string& detail) {
  auto r = respond(error_outcome(401, "unauthorized", "Unauthorized Access", detail));
  r.set_header("WWW-Authenticate", mno::webhook::www_authenticate_value("Connec!"));
  return r;
}

// "people.json" -> "people": the UI's suffix.
std::string strip_json(std::string s) {
  if (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0) s.resize(s.size() - 5);
  return s;
}

std::optional<std::string> param(const Params& p, const std::string& name) {
  for (const auto& [k, v] : p)
    if (k == name) return v;
  return std::nullopt;
}

// The operations, shared by the HTTP routes, batch ops and the control API.
class Operations {
 public:
  explicit Operations(ConnecServices s) : s_(std::move(s)) {}
  const ConnecServices& services() const { return s_; }

  Outcome list(const ConnecGroup& g, const std::string& collection, const Params& query) const {
    if (is_singular_collection(collection)) return get(g, collection, "");
    ConnecListQuery q;
    q.filter = param(query, "$filter").value_or("");
    q.orderby = param(query, "$orderby").value_or("");
    for (auto [name, target] : {std::pair<const char*, int64_t*>{"$top", &q.top}, {"$skip", &q.skip}}) {
      auto v = param(query, name);
      if (!v) continue;
      try {
        size_t used = 0;
        *target = std::stoll(*v, &used);
        if (used != v->size() || *target < 0) throw std::invalid_argument(name);
      } catch (const std::exception&) {
        return error_outcome(400, "bad-request", "Bad request", std::string(name) + " must be a non-negative integer");
      }
    }
    if (q.top == 0) q.top = 100;
    auto page = s_.store->list(g, collection, q);
    if (!page) return outcome_of(page.error());
    json pagination = {{"skip", page->skip}, {"top", page->top}, {"total", page->total}};
    if (page->skip + page->top < page->total) {
      std::string next = s_.state->public_url() + "/api/v2/" + g.uid + "/" + collection + "?";
      if (!q.filter.empty()) next += "%24filter=" + web::url_encode(q.filter) + "&";
      if (!q.orderby.empty()) next += "%24orderby=" + web::url_encode(q.orderby) + "&";
      next += "%24skip=" + std::to_string(page->skip + page->top) + "&%24top=" + std::to_string(page->top);
      pagination["next"] = next;
    }
    return {200, {{collection, page->records}, {"pagination", pagination}}, ""};
  }

  Outcome get(const ConnecGroup& g, const std::string& collection, const std::string& id) const {
    auto r = s_.store->get(g, collection, id);
    if (!r) return outcome_of(r.error());
    return {200, {{collection, *r}}, ""};
  }

  // POST or PUT with the envelope {collection: {...}}; origin = who made the change (notifications).
  Outcome write(const std::string& method, const ConnecGroup& g, const std::string& collection, const std::string& id,
                const json& envelope, const std::string& origin) const {
    if (!envelope.is_object() || !envelope.contains(collection) || !envelope[collection].is_object())
      return error_outcome(400, "bad-request", "Bad request", "the body must be {\"" + collection + "\": {...}}");
    const json& resource = envelope[collection];
    mno::Result<ConnecWrite> w = method == "POST" && id.empty() ? s_.store->post(g, collection, resource)
                                                                : s_.store->put(g, collection, id, resource);
    if (!w) return outcome_of(w.error());
    s_.writes->add(g.uid, collection, origin);
    if (w->changed) s_.notifier->record(g.uid, collection, w->connec_id, origin);
    Outcome o{w->status, {{collection, w->record}}, ""};
    if (w->status == 201) o.location = s_.state->public_url() + "/api/v2/" + g.uid + "/" + collection + "/" + w->connec_id;
    return o;
  }

  // The group if it exists (for the control API, where no app credentials apply).
  mno::Result<std::optional<ConnecGroup>> group(const std::string& uid) const {
    auto g = s_.directory->group(uid);
    if (!g) return g.error();
    if (!*g) return std::optional<ConnecGroup>{};
    return std::optional<ConnecGroup>{connec_scope(**g)};
  }

  // The group when the marketplace's app has it; nullopt otherwise (401 to the caller).
  mno::Result<std::optional<ConnecGroup>> group_of(const MarketplaceRecord& m, const std::string& uid) const {
    auto g = s_.directory->group(uid);
    if (!g) return g.error();
    if (!*g || (*g)->marketplace != m.name) return std::optional<ConnecGroup>{};
    return std::optional<ConnecGroup>{connec_scope(**g)};
  }

  std::optional<MarketplaceRecord> authenticate(const web::Request& req) const {
    auto creds = mno::webhook::parse_basic_authorization(web::header_values(req, "authorization"));
    if (!creds) return std::nullopt;
    return s_.state->marketplace_of_app(creds->user, creds->password);
  }

  // One batch op: {"method", "url" (relative or absolute, under /api/v2/), "params": envelope}.
  json batch_op(const MarketplaceRecord& m, const json& op) const {
    auto result = [](const Outcome& o) { return json{{"status", o.status}, {"body", o.body}}; };
    if (!op.is_object() || !op.contains("method") || !op["method"].is_string() || !op.contains("url") || !op["url"].is_string())
      return result(error_outcome(400, "bad-request", "Bad request", "an op needs a method and a url"));
    std::string method = op["method"].get<std::string>();
    for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string url = op["url"].get<std::string>();
    if (auto scheme = url.find("://"); scheme != std::string::npos) {
      auto slash = url.find('/', scheme + 3);
      url = slash == std::string::npos ? "/" : url.substr(slash);
    }
    std::string query;
    if (auto q = url.find('?'); q != std::string::npos) {
      query = url.substr(q + 1);
      url.resize(q);
    }
    auto path = web::url_decode(url, false);
    const std::string base = "/api/v2/";
    if (!path || path->rfind(base, 0) != 0)
      return result(error_outcome(400, "bad-request", "Bad request", "an op url must be under /api/v2/"));
    std::vector<std::string> seg;
    for (size_t b = base.size(); b <= path->size();) {
      auto e = path->find('/', b);
      if (e == std::string::npos) e = path->size();
      if (e > b) seg.push_back(path->substr(b, e - b));
      b = e + 1;
    }
    if (seg.size() < 2 || seg.size() > 3)
      return result(error_outcome(400, "bad-request", "Bad request", "an op url is /api/v2/{group}/{collection}[/{id}]"));
    std::string collection = strip_json(seg[1]);
    std::string id = seg.size() == 3 ? strip_json(seg[2]) : "";
    if (!is_valid_collection_name(collection))
      return result(error_outcome(400, "bad-request", "Bad request", "unknown resource '" + collection + "'"));
    auto g = group_of(m, seg[0]);
    if (!g) return result(outcome_of(g.error()));
    if (!*g) return result(error_outcome(401, "unauthorized", "Unauthorized Access", "no access to group " + seg[0]));
    if (method == "GET") return result(id.empty() ? list(**g, collection, web::parse_query(query)) : get(**g, collection, id));
    if (method == "POST" || method == "PUT") {
      if (method == "PUT" && id.empty() && !is_singular_collection(collection))
        return result(error_outcome(400, "bad-request", "Bad request", "a put op needs a record id"));
      json params = op.contains("params") ? op["params"] : json::object();
      return result(write(method, **g, collection, id, params, m.app_id));
    }
    return result(error_outcome(400, "bad-request", "Bad request", "op method must be get, post or put"));
  }

 private:
  ConnecServices s_;
};

using ApiOp = std::function<web::Response(web::Request&, const MarketplaceRecord&)>;

// Authentication, then faults, then the operation.
web::Handler guarded(std::shared_ptr<const Operations> ops, std::function<std::string(const web::Request&)> resource_of, ApiOp op) {
  return [ops, resource_of = std::move(resource_of), op = std::move(op)](web::Request& req) {
    const auto& s = ops->services();
    auto market = ops->authenticate(req);
    if (!market) return unauthorized("Invalid API credentials");
    auto d = s.faults->decide(req.method, resource_of(req));
    if (d.delay.count() > 0) s.sleep(d.delay);
    switch (d.action) {
      case FaultDecision::Action::error: {
        mno::log::info("sandbox.connec_fault", {{"kind", "error"}, {"method", req.method}, {"path", req.path},
                                                {"status", std::to_string(d.status)}});
        auto r = respond(d.status == 429 ? error_outcome(429, "too-many-requests", "Too Many Requests", "rate limited")
                                         : error_outcome(d.status, "internal-error", "Internal error", "injected fault"));
        if (d.retry_after_s >= 0) r.set_header("Retry-After", std::to_string(d.retry_after_s));
        return r;
      }
      case FaultDecision::Action::hang:
        mno::log::info("sandbox.connec_fault", {{"kind", "timeout"}, {"method", req.method}, {"path", req.path}});
        s.sleep(d.hang);
        return respond(error_outcome(504, "internal-error", "Gateway timeout", "injected timeout"));
      case FaultDecision::Action::apply_then_drop: {
        auto res = op(req, *market);
        mno::log::info("sandbox.connec_fault", {{"kind", "drop_after_apply"}, {"method", req.method}, {"path", req.path},
                                                {"status", std::to_string(res.status)}});
        // Applied, never acknowledged: the connection is reset instead of answered.
        return web::Response::drop_connection();
      }
      case FaultDecision::Action::none: break;
    }
    return op(req, *market);
  };
}

// Resolves {group} for an authenticated caller; 401 when its app does not have the group.
template <class F>
web::Response with_group(const Operations& ops, web::Request& req, const MarketplaceRecord& m, F&& fn) {
  auto g = ops.group_of(m, req.params["group"]);
  if (!g) return respond(outcome_of(g.error()));
  if (!*g) return unauthorized("no access to group " + req.params["group"]);
  return fn(**g);
}

web::Response control_error(int status, const std::string& code, const std::string& message) {
  return web::Response::json(status, json{{"error", {{"code", code}, {"message", message}}}}.dump());
}

FaultVocabulary connec_vocabulary() { return {{"GET", "POST", "PUT"}, {}}; }

}  // namespace

mno::Result<ConnecGroup> connec_group(const Directory& directory, const std::string& group_uid) {
  auto g = directory.group(group_uid);
  if (!g) return g.error();
  if (!*g) return mno::make_error("connec.not_found", "no group '" + group_uid + "'");
  return connec_scope(**g);
}

void add_connec_api_routes(web::Router& router, ConnecServices services) {
  auto ops = std::make_shared<const Operations>(std::move(services));
  auto collection_of = [](const web::Request& req) { return strip_json(req.params.count("collection") ? req.params.at("collection") : ""); };
  auto opts = [](const char* name) { return web::named(name, 4 << 20); };

  router.add("GET", "/version", [](web::Request&) {
    return web::Response::json(200, json{{"ci_branch", "v1.1.12"}, {"ci_commit", "mno-sandbox"}, {"app", "connec"}}.dump());
  }, web::named("connec.version"));

  router.add("GET", "/api/v2/json_schema/{collection}", guarded(ops, collection_of, [](web::Request& req, const MarketplaceRecord&) {
    auto c = strip_json(req.params["collection"]);
    json schema = {{"$schema", "http://json-schema.org/draft-04/schema#"}, {"title", c}, {"type", "object"},
                   {"properties", {{"id", {{"type", "array"}}}, {"created_at", {{"type", "string"}}}, {"updated_at", {{"type", "string"}}}}}};
    return web::Response::json(200, schema.dump());
  }), opts("connec.json_schema"));

  router.add("GET", "/api/v2/{group}", guarded(ops, [](const web::Request&) { return std::string("*"); },
                                                [ops](web::Request& req, const MarketplaceRecord& m) {
    return with_group(*ops, req, m, [&](const ConnecGroup& g) {
      auto counts = ops->services().store->counts(g.uid);
      if (!counts) return respond(outcome_of(counts.error()));
      json links = json::array();
      for (const auto& c : {"company", "organizations", "people", "items", "invoices", "tax_codes", "payments"})
        links.push_back({{c, ops->services().state->public_url() + "/api/v2/" + g.uid + "/" + c}});
      for (const auto& [c, n] : *counts)
        if (std::none_of(links.begin(), links.end(), [&](const json& l) { return l.contains(c); }))
          links.push_back({{c, ops->services().state->public_url() + "/api/v2/" + g.uid + "/" + c}});
      return web::Response::json(200, json{{"_links", links}}.dump());
    });
  }), opts("connec.channel"));

  auto check_collection = [](const std::string& c) -> std::optional<web::Response> {
    if (is_valid_collection_name(c)) return std::nullopt;
    return respond(error_outcome(400, "bad-request", "Bad request", "unknown resource '" + c + "'"));
  };

  router.add("GET", "/api/v2/{group}/{collection}", guarded(ops, collection_of, [ops, check_collection](web::Request& req, const MarketplaceRecord& m) {
    return with_group(*ops, req, m, [&](const ConnecGroup& g) {
      auto c = strip_json(req.params["collection"]);
      if (auto bad = check_collection(c)) return *bad;
      return respond(ops->list(g, c, web::parse_query(req.query)));
    });
  }), opts("connec.list"));

  auto body_of = [](const web::Request& req) { return json::parse(req.body, nullptr, false); };
  for (const char* method : {"POST", "PUT"}) {
    router.add(method, "/api/v2/{group}/{collection}", guarded(ops, collection_of, [ops, check_collection, body_of](web::Request& req, const MarketplaceRecord& m) {
      return with_group(*ops, req, m, [&](const ConnecGroup& g) {
        auto c = strip_json(req.params["collection"]);
        if (auto bad = check_collection(c)) return *bad;
        if (req.method == "PUT" && !is_singular_collection(c))
          return respond(error_outcome(405, "method-not-allowed", "Method not allowed", "PUT needs a record id"));
        return respond(ops->write(req.method, g, c, "", body_of(req), m.app_id));
      });
    }), opts("connec.write"));
  }

  router.add("GET", "/api/v2/{group}/{collection}/{id}", guarded(ops, collection_of, [ops, check_collection](web::Request& req, const MarketplaceRecord& m) {
    return with_group(*ops, req, m, [&](const ConnecGroup& g) {
      auto c = strip_json(req.params["collection"]);
      if (auto bad = check_collection(c)) return *bad;
      return respond(ops->get(g, c, strip_json(req.params["id"])));
    });
  }), opts("connec.record"));

  router.add("PUT", "/api/v2/{group}/{collection}/{id}", guarded(ops, collection_of, [ops, check_collection, body_of](web::Request& req, const MarketplaceRecord& m) {
    return with_group(*ops, req, m, [&](const ConnecGroup& g) {
      auto c = strip_json(req.params["collection"]);
      if (auto bad = check_collection(c)) return *bad;
      return respond(ops->write("PUT", g, c, strip_json(req.params["id"]), body_of(req), m.app_id));
    });
  }), opts("connec.record"));

  router.add("POST", "/batch", guarded(ops, [](const web::Request&) { return std::string("batch"); },
                                       [ops](web::Request& req, const MarketplaceRecord& m) {
    auto body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("ops") || !body["ops"].is_array())
      return respond(error_outcome(400, "bad-request", "Bad request", "the body must be {\"sequential\": bool, \"ops\": [...]}"));
    if (body["ops"].size() > kMaxBatchOps)
      return respond(error_outcome(400, "bad-request", "Bad request",
                                   "a batch carries at most " + std::to_string(kMaxBatchOps) + " ops"));
    json results = json::array();
    for (const auto& op : body["ops"]) results.push_back(ops->batch_op(m, op));
    return web::Response::json(200, json{{"results", results}}.dump());
  }), opts("connec.batch"));
}

void add_connec_control_routes(web::Router& router, ConnecServices services) {
  auto ops = std::make_shared<const Operations>(services);
  const auto small = web::named("control", 64 * 1024);
  const auto big = web::named("control.connec", 4 << 20);
  auto s = services;

  // The group for a control route, or the 404 to answer.
  auto group_for = [ops](const web::Request& req) -> std::variant<ConnecGroup, web::Response> {
    auto g = ops->group(req.params.at("group"));
    if (!g) return control_error(500, g.error().code, "sandbox state error");
    if (!*g) return control_error(404, "control.unknown_group", "no group '" + req.params.at("group") + "'");
    return **g;
  };
  auto origin_of = [](const web::Request& req) { return other_app_origin(req.query_param("as").value_or("sandbox")); };

  router.add("GET", "/control/v1/connec/groups", [s](web::Request&) {
    auto groups = s.directory->groups();
    if (!groups) return control_error(500, groups.error().code, "sandbox state error");
    json list = json::array();
    for (const auto& g : *groups) {
      auto counts = s.store->counts(g.uid);
      if (!counts) return control_error(500, counts.error().code, "sandbox state error");
      list.push_back({{"group_id", g.uid}, {"marketplace", g.marketplace}, {"channel_id", connec_scope(g).channel}, {"counts", *counts}});
    }
    return web::Response::json(200, json{{"groups", list}}.dump());
  });

  router.add("GET", "/control/v1/connec/groups/{group}/counts", [s, group_for](web::Request& req) {
    auto g = group_for(req);
    if (auto* r = std::get_if<web::Response>(&g)) return *r;
    auto counts = s.store->counts(std::get<ConnecGroup>(g).uid);
    if (!counts) return control_error(500, counts.error().code, "sandbox state error");
    int64_t total = 0;
    for (const auto& [c, n] : *counts) total += n;
    return web::Response::json(
        200, json{{"group_id", req.params["group"]}, {"counts", *counts}, {"total", total},
                  {"writes", s.writes->of_group(std::get<ConnecGroup>(g).uid)}}.dump());
  });

  // {"counts": {"organizations": 1000, ...}} or {"count": N, "collections": [...]}; "notify": true also
  // buffers a notification per record (off by default: a 100,000-record seed is for imports).
  router.add("POST", "/control/v1/connec/groups/{group}/seed", [s, group_for](web::Request& req) {
    auto g = group_for(req);
    if (auto* r = std::get_if<web::Response>(&g)) return *r;
    const auto& group = std::get<ConnecGroup>(g);
    auto body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    if (!body.is_object()) return control_error(400, "control.bad_json", "body must be a JSON object");
    std::map<std::string, int64_t> counts;
    auto add = [&](const std::string& c, const json& n) -> std::optional<web::Response> {
      if (!is_valid_collection_name(c)) return control_error(400, "control.invalid_field", "collections: bad name '" + c + "'");
      if (!n.is_number_integer() || n.get<int64_t>() < 0 || n.get<int64_t>() > 1000000)
        return control_error(400, "control.invalid_field", "counts." + c + " must be an integer 0..1000000");
      counts[c] = n.get<int64_t>();
      return std::nullopt;
    };
    if (body.contains("counts")) {
      if (!body["counts"].is_object()) return control_error(400, "control.invalid_field", "counts must be an object");
      for (const auto& [c, n] : body["counts"].items())
        if (auto bad = add(c, n)) return *bad;
    } else {
      json n = body.value("count", json(100));
      json collections = body.value("collections", json::array({"organizations", "people", "items", "invoices"}));
      if (!collections.is_array()) return control_error(400, "control.invalid_field", "collections must be an array");
      for (const auto& c : collections) {
        if (!c.is_string()) return control_error(400, "control.invalid_field", "collections must hold names");
        if (auto bad = add(c.get<std::string>(), n)) return *bad;
      }
    }
    auto started = std::chrono::steady_clock::now();
    auto created = seed_connec(*s.store, group, counts);
    if (!created) return control_error(500, created.error().code, created.error().message);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (body.value("notify", false)) {
      for (const auto& [c, n] : *created) {
        ConnecListQuery q;
        q.orderby = "created_at DESC";
        q.top = 1000;
        for (q.skip = 0; q.skip < n; q.skip += q.top) {
          auto page = s.store->list(group, c, q);
          if (!page) break;
          for (const auto& r : page->records) s.notifier->record(group.uid, c, r["id"][0]["id"], other_app_origin("seed"));
        }
      }
    }
    mno::log::info("sandbox.connec_seeded", {{"group", group.uid}, {"ms", std::to_string(ms)}});
    return web::Response::json(200, json{{"group_id", group.uid}, {"created", *created}, {"elapsed_ms", ms}}.dump());
  }, small);

  router.add("GET", "/control/v1/connec/groups/{group}/{collection}", [ops, group_for](web::Request& req) {
    auto g = group_for(req);
    if (auto* r = std::get_if<web::Response>(&g)) return *r;
    auto c = strip_json(req.params["collection"]);
    if (!is_valid_collection_name(c)) return control_error(400, "control.invalid_field", "bad collection name");
    return respond(ops->list(std::get<ConnecGroup>(g), c, web::parse_query(req.query)));
  });
  router.add("GET", "/control/v1/connec/groups/{group}/{collection}/{id}", [ops, group_for](web::Request& req) {
    auto g = group_for(req);
    if (auto* r = std::get_if<web::Response>(&g)) return *r;
    auto c = strip_json(req.params["collection"]);
    if (!is_valid_collection_name(c)) return control_error(400, "control.invalid_field", "bad collection name");
    return respond(ops->get(std::get<ConnecGroup>(g), c, req.params["id"]));
  });
  for (const char* method : {"POST", "PUT"}) {
    router.add(method, "/control/v1/connec/groups/{group}/{collection}", [ops, group_for, origin_of](web::Request& req) {
      auto g = group_for(req);
      if (auto* r = std::get_if<web::Response>(&g)) return *r;
      auto c = strip_json(req.params["collection"]);
      if (!is_valid_collection_name(c)) return control_error(400, "control.invalid_field", "bad collection name");
      return respond(ops->write(req.method, std::get<ConnecGroup>(g), c, "", json::parse(req.body, nullptr, false), origin_of(req)));
    }, big);
  }
  router.add("PUT", "/control/v1/connec/groups/{group}/{collection}/{id}", [ops, group_for, origin_of](web::Request& req) {
    auto g = group_for(req);
    if (auto* r = std::get_if<web::Response>(&g)) return *r;
    auto c = strip_json(req.params["collection"]);
    if (!is_valid_collection_name(c)) return control_error(400, "control.invalid_field", "bad collection name");
    return respond(ops->write("PUT", std::get<ConnecGroup>(g), c, req.params["id"], json::parse(req.body, nullptr, false), origin_of(req)));
  }, big);

  router.add("POST", "/control/v1/connec/notifications/flush", [s](web::Request&) {
    size_t pending = s.notifier->pending();
    auto sent = s.notifier->flush();
    if (!sent) return control_error(502, sent.error().code, sent.error().message);
    return web::Response::json(200, json{{"changes", pending}, {"requests", *sent}}.dump());
  }, small);
  router.add("GET", "/control/v1/connec/notifications/pending", [s](web::Request&) {
    return web::Response::json(200, json{{"pending", s.notifier->pending()}}.dump());
  });

  router.add("GET", "/control/v1/connec/faults", [s](web::Request&) {
    json list = json::array();
    for (const auto& r : s.faults->rules()) list.push_back(fault_rule_to_json(r));
    return web::Response::json(200, json{{"faults", list}}.dump());
  });
  router.add("POST", "/control/v1/connec/faults", [s](web::Request& req) {
    auto j = json::parse(req.body, nullptr, false);
    if (j.is_discarded()) return control_error(400, "control.bad_json", "body must be a JSON object");
    auto rule = fault_rule_from_json(j, connec_vocabulary());
    if (!rule) return control_error(400, rule.error().code, rule.error().message);
    s.faults->add(*rule);
    mno::log::info("sandbox.connec_fault_added", {{"rule", fault_rule_to_json(*rule).dump()}});
    return web::Response::json(201, json{{"fault", fault_rule_to_json(*rule)}}.dump());
  }, small);
  router.add("DELETE", "/control/v1/connec/faults", [s](web::Request&) {
    s.faults->clear();
    return web::Response::json(200, R"({"ok":true})");
  });
  router.add("POST", "/control/v1/connec/reset", [s](web::Request&) {
    s.faults->clear();
    s.writes->clear();
    if (auto st = s.store->clear(); !st) return control_error(500, st.error().code, "sandbox state error");
    return web::Response::json(200, R"({"ok":true})");
  }, small);
}

ConnecServices add_connec_routes(web::Router& router, std::shared_ptr<SandboxState> state, std::shared_ptr<Directory> directory,
                                 std::shared_ptr<mno::db::Database> db, ConnecDeliver deliver, ConnecOptions options) {
  ConnecServices s;
  s.state = state;
  s.directory = directory;
  s.store = std::make_shared<ConnecStore>(std::move(db), mno::SystemClock::instance(), mno::SecureRandom::instance());
  s.notifier = std::make_shared<ConnecNotifier>(std::move(state), std::move(directory), s.store, std::move(deliver));
  s.faults = std::make_shared<FaultInjector>(mno::SecureRandom::instance());
  s.writes = std::make_shared<ConnecWriteCounts>();
  s.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  add_connec_api_routes(router, s);
  add_connec_control_routes(router, s);
  s.notifier->start(options.notify_interval);
  return s;
}

}  // namespace sandbox
