// See account_api.hpp. Every API request: authenticate (constant time over all marketplaces), then
// consult the fault injector, then run the operation scoped to the caller's marketplace.
#include "sandbox/account_api.hpp"

#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "mno/util/random.hpp"
#include "mno/webhook/basic_auth.hpp"
#include "web/header_values.hpp"
#include "web/route_options.hpp"
#include "web/url.hpp"

namespace sandbox {
namespace {

using nlohmann::json;
using Params = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kSystemError =
    "A system error occured. Please retry later or contact support@maestrano.com if the issue persists.";

json nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

web::Response envelope(int status, const json& data, const json& errors = json::object()) {
  return web::Response::json(status, json{{"success", errors.empty()}, {"errors", errors}, {"data", data}}.dump());
}

json errors_of(const mno::Error& e) {
  json out = json::object();
  for (const auto& [k, v] : e.fields) out[k] = json::array({v});
  if (out.empty()) out["base"] = json::array({e.message});
  return out;
}

web::Response system_error(int status = 500) {
  return envelope(status, json::object(), json{{"system", {kSystemError}}});
}

web::Response store_error(const mno::Error& e, int invalid_status) {
  if (e.code == "account.invalid") return envelope(invalid_status, json::object(), errors_of(e));
  mno::log::error("sandbox.account_error", {{"code", e.code}, {"message", e.message}});
  return system_error();
}

json to_json(const BillRecord& b) {
  return {{"object", "account_bill"},  {"id", b.id},
          {"group_id", b.group_id},    {"price_cents", b.price_cents},
          {"currency", b.currency},    {"description", b.description},
          {"units", b.units},          {"period_started_at", nullable(b.period_started_at)},
          {"period_ended_at", nullable(b.period_ended_at)}, {"third_party", b.third_party},
          {"status", b.status},        {"created_at", b.created_at},
          {"updated_at", b.updated_at}};
}

json to_json(const RecurringBillRecord& b) {
  json cycles = b.cycles ? json(*b.cycles) : json(nullptr);
  return {{"object", "account_recurring_bill"}, {"id", b.id}, {"group_id", b.group_id}, {"price_cents", b.price_cents},
          {"currency", b.currency}, {"description", b.description}, {"period", b.period}, {"frequency", b.frequency},
          {"cycles", cycles}, {"start_date", b.start_date}, {"initial_cents", b.initial_cents}, {"status", b.status},
          {"created_at", b.created_at}, {"updated_at", b.updated_at}, {"last_execution_at", nullptr},
          {"next_execution_at", b.start_date}, {"remaining_cycles", cycles}};
}

json to_json(const DirectoryGroup& g) {
  return {{"object", "account_group"}, {"id", g.uid}, {"name", g.name}, {"email", g.email},
          {"has_credit_card", g.has_credit_card}, {"free_trial_end_at", nullable(g.free_trial_end)},
          {"currency", g.currency}, {"country", g.country}, {"city", g.city}, {"timezone", g.timezone},
          {"status", "running"}, {"created_at", nullptr}, {"updated_at", nullptr}};
}

json to_json(const DirectoryUser& u) {
  return {{"object", "account_user"}, {"id", u.uid}, {"name", u.first_name}, {"surname", u.last_name},
          {"email", u.email}, {"company_name", u.company_name}, {"country", u.country},
          {"sso_session", u.session_token}, {"created_at", nullptr}, {"updated_at", nullptr}};
}

// ---- listing filters (spec 5.1) ----
enum class Op { eq, le, lt, ge, gt };

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

bool compare(const json& value, const std::string& wanted, Op op) {
  if (value.is_null()) return false;
  std::string have = text_of(value);
  int cmp;
  auto ta = mno::parse_iso8601(have);
  auto tb = mno::parse_iso8601(wanted);
  if (ta && tb) {
    cmp = *ta < *tb ? -1 : (*tb < *ta ? 1 : 0);
  } else if (value.is_number()) {
    try {
      double a = value.get<double>(), b = std::stod(wanted);
      cmp = a < b ? -1 : (b < a ? 1 : 0);
    } catch (...) {
      return false;
    }
  } else {
    cmp = have.compare(wanted);
    cmp = cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
  }
  switch (op) {
    case Op::eq: return cmp == 0;
    case Op::le: return cmp <= 0;
    case Op::lt: return cmp < 0;
    case Op::ge: return cmp >= 0;
    case Op::gt: return cmp > 0;
  }
  return false;
}

// Unknown column -> empty list (the ref sandbox's behaviour).
json filtered(const json& items, const Params& params) {
  static const std::vector<std::pair<std::string, Op>> suffixes = {
      {"_strictly_greater_than", Op::gt}, {"_strictly_lower_than", Op::lt}, {"_strictly_before", Op::lt},
      {"_strictly_after", Op::gt},        {"_greater_than", Op::ge},        {"_lower_than", Op::le},
      {"_before", Op::le},                {"_after", Op::ge}};
  json out = json::array();
  for (const auto& item : items) {
    bool keep = true;
    for (const auto& [key, wanted] : params) {
      std::string column = key;
      Op op = Op::eq;
      if (!item.contains(key)) {
        bool found = false;
        for (const auto& [suffix, sop] : suffixes) {
          if (key.size() > suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0 &&
              item.contains(key.substr(0, key.size() - suffix.size()))) {
            column = key.substr(0, key.size() - suffix.size());
            op = sop;
            found = true;
            break;
          }
        }
        if (!found) return json::array();
      }
      if (!compare(item[column], wanted, op)) {
        keep = false;
        break;
      }
    }
    if (keep) out.push_back(item);
  }
  return out;
}

Params query_of(const web::Request& req) { return web::parse_query(req.query); }

// JSON object or form body, flattened to text; "" body = no fields.
mno::Result<FieldMap> body_fields(const web::Request& req) {
  FieldMap out;
  if (req.body.empty()) return out;
  auto ct = req.header("content-type").value_or("");
  if (ct.find("json") != std::string::npos) {
    auto j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return mno::make_error("account.invalid", "body is not a JSON object");
    for (const auto& [k, v] : j.items())
      if (!v.is_null()) out[k] = text_of(v);
    return out;
  }
  for (auto& [k, v] : web::parse_query(req.body)) out.emplace(k, v);
  return out;
}

class Api : public std::enable_shared_from_this<Api> {
 public:
  explicit Api(AccountServices s) : s_(std::move(s)) {}

  std::optional<MarketplaceRecord> authenticate(const web::Request& req) const {
    auto creds = mno::webhook::parse_basic_authorization(web::header_values(req, "authorization"));
    if (!creds) return std::nullopt;
    return s_.state->marketplace_of_app(creds->user, creds->password);
  }

  using Op = std::function<web::Response(web::Request&, const MarketplaceRecord&)>;

  web::Handler guarded(std::string resource, Op op) const {
    return [self = shared_from_this(), resource = std::move(resource), op = std::move(op)](web::Request& req) {
      const auto& s_ = self->s_;
      auto market = self->authenticate(req);
      if (!market) {
        auto r = envelope(401, json::object(), json{{"authentication", {"Invalid API token"}}});
        r.set_header("WWW-Authenticate", R"(Basic realm="Maestrano API")");
        return r;
      }
      auto d = s_.faults->decide(req.method, resource);
      if (d.delay.count() > 0) s_.sleep(d.delay);
      switch (d.action) {
        case FaultDecision::Action::error:
          mno::log::info("sandbox.fault", {{"kind", "error"}, {"method", req.method}, {"path", req.path}});
          return system_error(d.status);
        case FaultDecision::Action::hang:
          mno::log::info("sandbox.fault", {{"kind", "timeout"}, {"method", req.method}, {"path", req.path}});
          s_.sleep(d.hang);
          return system_error(504);
        case FaultDecision::Action::apply_then_drop: {
          auto res = op(req, *market);
          mno::log::info("sandbox.fault", {{"kind", "drop_after_apply"}, {"method", req.method}, {"path", req.path},
                                           {"status", std::to_string(res.status)}});
          // Applied, never acknowledged: the connection is reset instead of answered.
          return web::Response::drop_connection();
        }
        case FaultDecision::Action::none: break;
      }
      return op(req, *market);
    };
  }

  void add(web::Router& router) const {
    const std::string base = "/api/v1/account/";
    auto opts = [](const char* name) { return web::named(name, 64 * 1024); };

    router.add("GET", base + "bills", guarded("bills", [this](web::Request& req, const MarketplaceRecord& m) {
      auto bills = s_.store->bills(m.name);
      if (!bills) return store_error(bills.error(), 400);
      json items = json::array();
      for (const auto& b : *bills) items.push_back(to_json(b));
      return envelope(200, filtered(items, query_of(req)));
    }), opts("account.bills"));
    router.add("POST", base + "bills", guarded("bills", [this](web::Request& req, const MarketplaceRecord& m) {
      auto in = body_fields(req);
      if (!in) return envelope(400, json::object(), json{{"body", {in.error().message}}});
      auto b = s_.store->create_bill(m.name, *in);
      if (!b) return store_error(b.error(), 400);
      mno::log::info("sandbox.bill_created", {{"id", b->id}, {"group", b->group_id}, {"cents", std::to_string(b->price_cents)}});
      return envelope(200, to_json(*b));  // the ref sandbox answers a create with 200
    }), opts("account.bills"));
    router.add("GET", base + "bills/{id}", guarded("bills", [this](web::Request& req, const MarketplaceRecord& m) {
      auto b = s_.store->bill(m.name, req.params["id"]);
      if (!b) return store_error(b.error(), 200);  // ref sandbox: unknown id -> 200 success:false
      return envelope(200, to_json(*b));
    }), opts("account.bill"));
    router.add("DELETE", base + "bills/{id}", guarded("bills", [this](web::Request& req, const MarketplaceRecord& m) {
      auto b = s_.store->cancel_bill(m.name, req.params["id"]);
      if (!b) return store_error(b.error(), 400);
      return envelope(200, to_json(*b));
    }), opts("account.bill"));

    router.add("GET", base + "recurring_bills", guarded("recurring_bills", [this](web::Request& req, const MarketplaceRecord& m) {
      auto bills = s_.store->recurring_bills(m.name);
      if (!bills) return store_error(bills.error(), 400);
      json items = json::array();
      for (const auto& b : *bills) items.push_back(to_json(b));
      return envelope(200, filtered(items, query_of(req)));
    }), opts("account.recurring_bills"));
    router.add("POST", base + "recurring_bills", guarded("recurring_bills", [this](web::Request& req, const MarketplaceRecord& m) {
      auto in = body_fields(req);
      if (!in) return envelope(400, json::object(), json{{"body", {in.error().message}}});
      auto b = s_.store->create_recurring_bill(m.name, *in);
      if (!b) return store_error(b.error(), 400);
      mno::log::info("sandbox.recurring_bill_created", {{"id", b->id}, {"group", b->group_id}});
      return envelope(200, to_json(*b));
    }), opts("account.recurring_bills"));
    router.add("GET", base + "recurring_bills/{id}", guarded("recurring_bills", [this](web::Request& req, const MarketplaceRecord& m) {
      auto b = s_.store->recurring_bill(m.name, req.params["id"]);
      if (!b) return store_error(b.error(), 200);
      return envelope(200, to_json(*b));
    }), opts("account.recurring_bill"));
    router.add("DELETE", base + "recurring_bills/{id}", guarded("recurring_bills", [this](web::Request& req, const MarketplaceRecord& m) {
      auto b = s_.store->cancel_recurring_bill(m.name, req.params["id"]);
      if (!b) return store_error(b.error(), 400);
      return envelope(200, to_json(*b));
    }), opts("account.recurring_bill"));

    router.add("GET", base + "groups", guarded("groups", [this](web::Request& req, const MarketplaceRecord& m) {
      auto groups = s_.directory->groups(m.name);
      if (!groups) return store_error(groups.error(), 400);
      json items = json::array();
      for (const auto& g : *groups) items.push_back(to_json(g));
      return envelope(200, filtered(items, query_of(req)));
    }), opts("account.groups"));
    router.add("GET", base + "groups/{id}", guarded("groups", [this](web::Request& req, const MarketplaceRecord& m) {
      auto g = s_.directory->group(req.params["id"]);
      if (!g) return store_error(g.error(), 400);
      if (!*g || (*g)->marketplace != m.name)
        return envelope(200, json::object(), json{{"id", {"does not exist"}}});
      return envelope(200, to_json(**g));
    }), opts("account.group"));
    router.add("GET", base + "users", guarded("users", [this](web::Request& req, const MarketplaceRecord& m) {
      auto users = visible_users(m.name);
      if (!users) return store_error(users.error(), 400);
      // group_id is not a user column: it scopes to that group's members (spec 5.1).
      auto params = query_of(req);
      std::optional<std::string> group;
      Params rest;
      for (auto& p : params) {
        if (p.first == "group_id") group = p.second;
        else rest.push_back(p);
      }
      json items = json::array();
      for (const auto& [u, groups] : *users)
        if (!group || groups.count(*group)) items.push_back(to_json(u));
      return envelope(200, filtered(items, rest));
    }), opts("account.users"));
    router.add("GET", base + "users/{id}", guarded("users", [this](web::Request& req, const MarketplaceRecord& m) {
      auto users = visible_users(m.name);
      if (!users) return store_error(users.error(), 400);
      for (const auto& [u, groups] : *users)
        if (u.uid == req.params["id"]) return envelope(200, to_json(u));
      return envelope(200, json::object(), json{{"id", {"does not exist"}}});
    }), opts("account.user"));
  }

 private:
  // The users of a marketplace are the members of its groups (each with the set of those groups).
  mno::Result<std::vector<std::pair<DirectoryUser, std::set<std::string>>>> visible_users(const std::string& market) const {
    auto groups = s_.directory->groups(market);
    if (!groups) return groups.error();
    std::set<std::string> mine;
    for (const auto& g : *groups) mine.insert(g.uid);
    auto members = s_.directory->memberships();
    if (!members) return members.error();
    std::map<std::string, std::set<std::string>> of;
    for (const auto& ms : *members)
      if (mine.count(ms.group_uid)) of[ms.user_uid].insert(ms.group_uid);
    auto users = s_.directory->users();
    if (!users) return users.error();
    std::vector<std::pair<DirectoryUser, std::set<std::string>>> out;
    for (const auto& u : *users)
      if (auto it = of.find(u.uid); it != of.end()) out.emplace_back(u, it->second);
    return out;
  }

  AccountServices s_;
};

web::Response control_error(int status, const std::string& code, const std::string& message) {
  return web::Response::json(status, json{{"error", {{"code", code}, {"message", message}}}}.dump());
}

}  // namespace

void add_account_api_routes(web::Router& router, AccountServices services) {
  // Every handler holds a shared_ptr to the Api, so it lives as long as the routes.
  std::make_shared<Api>(std::move(services))->add(router);
}

void add_account_control_routes(web::Router& router, AccountServices s) {
  auto known_group = [s](const std::string& uid) -> mno::Result<bool> {
    auto g = s.directory->group(uid);
    if (!g) return g.error();
    return g->has_value();
  };
  router.add("GET", "/control/v1/account/groups/{group}/bills", [s, known_group](web::Request& req) {
    const auto& group = req.params["group"];
    auto known = known_group(group);
    if (!known) return control_error(500, known.error().code, "sandbox state error");
    if (!*known) return control_error(404, "control.unknown_group", "no group '" + group + "'");
    auto bills = s.store->group_bills(group);
    auto recurring = s.store->group_recurring_bills(group);
    if (!bills || !recurring) return control_error(500, "control.state_error", "sandbox state error");
    json b = json::array(), r = json::array();
    for (const auto& x : *bills) b.push_back(to_json(x));
    for (const auto& x : *recurring) r.push_back(to_json(x));
    return web::Response::json(200, json{{"group_id", group}, {"bills", b}, {"recurring_bills", r}}.dump());
  });
  router.add("POST", "/control/v1/account/groups/{group}/invoice", [s, known_group](web::Request& req) {
    const auto& group = req.params["group"];
    auto known = known_group(group);
    if (!known) return control_error(500, known.error().code, "sandbox state error");
    if (!*known) return control_error(404, "control.unknown_group", "no group '" + group + "'");
    auto n = s.store->invoice_submitted(group);
    if (!n) return control_error(500, n.error().code, "sandbox state error");
    mno::log::info("sandbox.bills_invoiced", {{"group", group}, {"count", std::to_string(*n)}});
    return web::Response::json(200, json{{"invoiced", *n}}.dump());
  }, web::named("control", 64 * 1024));
  router.add("GET", "/control/v1/account/faults", [s](web::Request&) {
    json list = json::array();
    for (const auto& r : s.faults->rules()) list.push_back(fault_rule_to_json(r));
    return web::Response::json(200, json{{"faults", list}}.dump());
  });
  router.add("POST", "/control/v1/account/faults", [s](web::Request& req) {
    auto j = json::parse(req.body, nullptr, false);
    if (j.is_discarded()) return control_error(400, "control.bad_json", "body must be a JSON object");
    auto rule = fault_rule_from_json(j);
    if (!rule) return control_error(400, rule.error().code, rule.error().message);
    s.faults->add(*rule);
    mno::log::info("sandbox.fault_added", {{"rule", fault_rule_to_json(*rule).dump()}});
    return web::Response::json(201, json{{"fault", fault_rule_to_json(*rule)}}.dump());
  }, web::named("control", 64 * 1024));
  router.add("DELETE", "/control/v1/account/faults", [s](web::Request&) {
    s.faults->clear();
    return web::Response::json(200, R"({"ok":true})");
  });
  router.add("POST", "/control/v1/account/reset", [s](web::Request&) {
    s.faults->clear();
    if (auto st = s.store->clear(); !st) return control_error(500, st.error().code, "sandbox state error");
    return web::Response::json(200, R"({"ok":true})");
  }, web::named("control", 64 * 1024));
}

void add_account_routes(web::Router& router, std::shared_ptr<SandboxState> state, std::shared_ptr<Directory> directory,
                        std::shared_ptr<mno::db::Database> db) {
  AccountServices s;
  s.state = std::move(state);
  s.directory = directory;
  s.store = std::make_shared<AccountStore>(std::move(db), std::move(directory), mno::SystemClock::instance(),
                                           mno::SecureRandom::instance());
  s.faults = std::make_shared<FaultInjector>(mno::SecureRandom::instance());
  s.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  add_account_api_routes(router, s);
  add_account_control_routes(router, s);
}

}  // namespace sandbox
