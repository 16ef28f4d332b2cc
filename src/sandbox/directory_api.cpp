// See directory_api.hpp. Bodies are parsed strictly: unknown fields are rejected, types checked,
// and every error names the offending field in error.field and the message.
#include "sandbox/directory_api.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "mno/util/log.hpp"
#include "web/route_options.hpp"

namespace sandbox {
namespace {

using nlohmann::json;

web::Response json_error(int status, const std::string& code, const std::string& message, const std::string& field = "") {
  json e = {{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  return web::Response::json(status, json{{"error", e}}.dump());
}

// Maps a directory/state error to an HTTP answer.
web::Response from_error(const mno::Error& e) {
  if (e.code == "directory.invalid_field" || e.code == "control.invalid_field" || e.code == "control.bad_json" ||
      e.code == "control.missing_field" || e.code == "control.unknown_field")
    return json_error(400, e.code, e.message, e.fields.empty() ? "" : e.fields.begin()->first);
  if (e.code == "directory.duplicate") return json_error(409, e.code, e.message);
  if (e.code.rfind("directory.unknown_", 0) == 0 || e.code == "sandbox.unknown_marketplace")
    return json_error(404, e.code, e.message);
  mno::log::error("sandbox.state_error", {{"code", e.code}, {"message", e.message}});
  return json_error(500, e.code, "sandbox state error");
}

mno::Error field_error(const std::string& code, const std::string& field, const std::string& why) {
  auto e = mno::make_error(code, field + " " + why);
  e.fields[field] = why;
  return e;
}

// A JSON object body whose keys are all in `allowed` and whose `required` keys are present.
mno::Result<json> object_body(const std::string& body, const std::set<std::string>& allowed,
                              const std::set<std::string>& required) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return mno::make_error("control.bad_json", "body must be a JSON object");
  for (const auto& [k, v] : j.items())
    if (!allowed.count(k)) return field_error("control.unknown_field", k, "is not a known field");
  for (const auto& k : required)
    if (!j.contains(k)) return field_error("control.missing_field", k, "is required");
  return j;
}

mno::Status read_string(const json& j, const std::string& field, std::string& out) {
  if (!j.contains(field)) return {};
  if (!j[field].is_string()) return field_error("control.invalid_field", field, "must be a string");
  out = j[field].get<std::string>();
  return {};
}

mno::Status read_bool(const json& j, const std::string& field, bool& out) {
  if (!j.contains(field)) return {};
  if (!j[field].is_boolean()) return field_error("control.invalid_field", field, "must be true or false");
  out = j[field].get<bool>();
  return {};
}

mno::Status read_int(const json& j, const std::string& field, int64_t& out, int64_t min, int64_t max) {
  if (!j.contains(field)) return {};
  if (!j[field].is_number_integer()) return field_error("control.invalid_field", field, "must be an integer");
  auto v = j[field].get<int64_t>();
  if (v < min || v > max)
    return field_error("control.invalid_field", field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  out = v;
  return {};
}

json user_json(const DirectoryUser& u, const std::vector<DirectoryMembership>& memberships) {
  json groups = json::array();
  for (const auto& m : memberships)
    if (m.user_uid == u.uid) groups.push_back({{"group_uid", m.group_uid}, {"role", m.role}});
  return {{"uid", u.uid},           {"first_name", u.first_name},       {"last_name", u.last_name},
          {"email", u.email},       {"country", u.country},             {"company_name", u.company_name},
          {"session_token", u.session_token}, {"session_valid", u.session_valid}, {"groups", groups}};
}

json group_json(const DirectoryGroup& g, const std::vector<DirectoryMembership>& memberships) {
  json users = json::array();
  for (const auto& m : memberships)
    if (m.group_uid == g.uid) users.push_back({{"user_uid", m.user_uid}, {"role", m.role}});
  return {{"uid", g.uid},         {"marketplace", g.marketplace}, {"name", g.name},
          {"email", g.email},     {"currency", g.currency},       {"timezone", g.timezone},
          {"country", g.country}, {"city", g.city},               {"org_uid", g.org_uid},
          {"free_trial_end", g.free_trial_end}, {"has_credit_card", g.has_credit_card}, {"users", users}};
}

json options_json(const IdpOptions& o) {
  return {{"algorithm", algorithm_name(o.algorithm)}, {"sign_response", o.sign_response},
          {"clock_offset_seconds", o.clock_offset_seconds}, {"recheck_seconds", o.recheck_seconds},
          {"broken_mode", broken_mode_name(o.broken)}, {"broken_remaining", o.broken_remaining}};
}

}  // namespace

std::string launch_url(const SandboxState& state, const MarketplaceRecord& market, const std::string& group_uid) {
  auto m = state.describe(market);
  return m.idm() + m.sso.init_path + "?group_id=" + group_uid;
}

void add_directory_control_routes(web::Router& router, const IdpServices& services) {
  const IdpServices s = services;
  const auto body_route = web::named("control", 64 * 1024);

  router.add("GET", "/control/v1/users", [s](web::Request&) {
    auto users = s.directory->users();
    if (!users) return from_error(users.error());
    auto ms = s.directory->memberships();
    if (!ms) return from_error(ms.error());
    json list = json::array();
    for (const auto& u : *users) list.push_back(user_json(u, *ms));
    return web::Response::json(200, json{{"users", list}}.dump());
  });

  router.add("GET", "/control/v1/users/{uid}", [s](web::Request& req) {
    auto u = s.directory->user(req.params["uid"]);
    if (!u) return from_error(u.error());
    if (!*u) return json_error(404, "directory.unknown_user", "no user " + req.params["uid"]);
    auto ms = s.directory->memberships();
    if (!ms) return from_error(ms.error());
    return web::Response::json(200, user_json(**u, *ms).dump());
  });

  router.add("POST", "/control/v1/users", [s](web::Request& req) {
    auto j = object_body(req.body, {"uid", "first_name", "last_name", "email", "country", "company_name"},
                         {"first_name", "last_name", "email"});
    if (!j) return from_error(j.error());
    NewUser u;
    for (auto [field, out] : {std::pair{"uid", &u.uid}, {"first_name", &u.first_name}, {"last_name", &u.last_name},
                              {"email", &u.email}, {"country", &u.country}, {"company_name", &u.company_name}})
      if (auto st = read_string(*j, field, *out); !st) return from_error(st.error());
    auto created = s.directory->create_user(u);
    if (!created) return from_error(created.error());
    mno::log::info("sandbox.user_created", {{"uid", created->uid}});
    return web::Response::json(201, user_json(*created, {}).dump());
  }, body_route);

  router.add("POST", "/control/v1/users/{uid}/regenerate-session", [s](web::Request& req) {
    auto token = s.directory->regenerate_session(req.params["uid"]);
    if (!token) return from_error(token.error());
    mno::log::info("sandbox.session_regenerated", {{"uid", req.params["uid"]}});
    return web::Response::json(200, json{{"uid", req.params["uid"]}, {"session_token", *token}}.dump());
  }, body_route);

  router.add("PUT", "/control/v1/users/{uid}/session-valid", [s](web::Request& req) {
    auto j = object_body(req.body, {"valid"}, {"valid"});
    if (!j) return from_error(j.error());
    bool valid = true;
    if (auto st = read_bool(*j, "valid", valid); !st) return from_error(st.error());
    if (auto st = s.directory->set_session_valid(req.params["uid"], valid); !st) return from_error(st.error());
    return web::Response::json(200, json{{"uid", req.params["uid"]}, {"session_valid", valid}}.dump());
  }, body_route);

  router.add("GET", "/control/v1/groups", [s](web::Request& req) {
    auto groups = s.directory->groups(req.query_param("marketplace").value_or(""));
    if (!groups) return from_error(groups.error());
    auto ms = s.directory->memberships();
    if (!ms) return from_error(ms.error());
    json list = json::array();
    for (const auto& g : *groups) list.push_back(group_json(g, *ms));
    return web::Response::json(200, json{{"groups", list}}.dump());
  });

  router.add("GET", "/control/v1/groups/{uid}", [s](web::Request& req) {
    auto g = s.directory->group(req.params["uid"]);
    if (!g) return from_error(g.error());
    if (!*g) return json_error(404, "directory.unknown_group", "no group " + req.params["uid"]);
    auto ms = s.directory->memberships();
    if (!ms) return from_error(ms.error());
    return web::Response::json(200, group_json(**g, *ms).dump());
  });

  router.add("POST", "/control/v1/groups", [s](web::Request& req) {
    auto j = object_body(req.body,
                         {"uid", "marketplace", "name", "email", "currency", "timezone", "country", "city", "org_uid",
                          "free_trial_end", "has_credit_card"},
                         {"marketplace", "name"});
    if (!j) return from_error(j.error());
    NewGroup g;
    for (auto [field, out] : {std::pair{"uid", &g.uid}, {"marketplace", &g.marketplace}, {"name", &g.name},
                              {"email", &g.email}, {"currency", &g.currency}, {"timezone", &g.timezone},
                              {"country", &g.country}, {"city", &g.city}, {"org_uid", &g.org_uid},
                              {"free_trial_end", &g.free_trial_end}})
      if (auto st = read_string(*j, field, *out); !st) return from_error(st.error());
    if (auto st = read_bool(*j, "has_credit_card", g.has_credit_card); !st) return from_error(st.error());
    auto created = s.directory->create_group(g);
    if (!created) return from_error(created.error());
    mno::log::info("sandbox.group_created", {{"uid", created->uid}, {"marketplace", created->marketplace}});
    return web::Response::json(201, group_json(*created, {}).dump());
  }, body_route);

  router.add("GET", "/control/v1/memberships", [s](web::Request&) {
    auto ms = s.directory->memberships();
    if (!ms) return from_error(ms.error());
    json list = json::array();
    for (const auto& m : *ms) list.push_back({{"user_uid", m.user_uid}, {"group_uid", m.group_uid}, {"role", m.role}});
    return web::Response::json(200, json{{"memberships", list}}.dump());
  });

  // Adds the user to the group, or changes the role.
  router.add("PUT", "/control/v1/groups/{group}/users/{user}", [s](web::Request& req) {
    auto j = object_body(req.body, {"role"}, {"role"});
    if (!j) return from_error(j.error());
    std::string role;
    if (auto st = read_string(*j, "role", role); !st) return from_error(st.error());
    if (auto st = s.directory->set_membership(req.params["user"], req.params["group"], role); !st) return from_error(st.error());
    return web::Response::json(200, json{{"user_uid", req.params["user"]}, {"group_uid", req.params["group"]}, {"role", role}}.dump());
  }, body_route);

  router.add("DELETE", "/control/v1/groups/{group}/users/{user}", [s](web::Request& req) {
    if (auto st = s.directory->remove_membership(req.params["user"], req.params["group"]); !st) return from_error(st.error());
    return web::Response::json(200, R"({"ok":true})");
  }, body_route);

  // "Launch Tally as this user in this group": the app's init URL with group_id (spec 3.1, the ref
  // sandbox's sso_trigger). The browser must also be signed in at the IdP as the user (idp-login).
  router.add("GET", "/control/v1/launch", [s](web::Request& req) {
    const auto market_name = req.query_param("marketplace").value_or("");
    const auto user_uid = req.query_param("user").value_or("");
    const auto group_uid = req.query_param("group").value_or("");
    for (auto [field, value] : {std::pair{"marketplace", &market_name}, {"user", &user_uid}, {"group", &group_uid}})
      if (value->empty()) return json_error(400, "control.missing_field", std::string(field) + " is required", field);
    auto market = s.state->marketplace(market_name);
    if (!market) return from_error(market.error());
    if (!*market) return json_error(404, "control.unknown_marketplace", "no marketplace named '" + market_name + "'", "marketplace");
    auto groups = s.directory->groups_of(user_uid, market_name);
    if (!groups) return from_error(groups.error());
    bool member = std::any_of(groups->begin(), groups->end(), [&](const UserGroup& g) { return g.group.uid == group_uid; });
    if (!member)
      return json_error(400, "control.invalid_field", user_uid + " is not a member of " + group_uid + " in " + market_name, "group");
    return web::Response::json(200, json{{"url", launch_url(*s.state, **market, group_uid)}}.dump());
  });

  // A test client's IdP login without the user picker: the Cookie header value to send.
  router.add("POST", "/control/v1/idp-login", [s](web::Request& req) {
    auto j = object_body(req.body, {"user_uid"}, {"user_uid"});
    if (!j) return from_error(j.error());
    std::string uid;
    if (auto st = read_string(*j, "user_uid", uid); !st) return from_error(st.error());
    auto token = s.directory->create_login(uid);
    if (!token) return from_error(token.error());
    return web::Response::json(200, json{{"cookie_name", kIdpLoginCookie}, {"cookie_value", *token},
                                         {"cookie", std::string(kIdpLoginCookie) + "=" + *token}}.dump());
  }, body_route);

  router.add("GET", "/control/v1/marketplaces/{name}/idp-options", [s](web::Request& req) {
    auto market = s.state->marketplace(req.params["name"]);
    if (!market) return from_error(market.error());
    if (!*market) return json_error(404, "control.unknown_marketplace", "no marketplace named '" + req.params["name"] + "'");
    auto o = s.options->get(req.params["name"]);
    if (!o) return from_error(o.error());
    return web::Response::json(200, options_json(*o).dump());
  });

  // Partial update: only the fields present change. Arming a broken mode sets broken_remaining to
  // broken_count (default 1).
  router.add("PUT", "/control/v1/marketplaces/{name}/idp-options", [s](web::Request& req) {
    auto j = object_body(req.body, {"algorithm", "sign_response", "clock_offset_seconds", "recheck_seconds", "broken_mode",
                                    "broken_count"}, {});
    if (!j) return from_error(j.error());
    auto market = s.state->marketplace(req.params["name"]);
    if (!market) return from_error(market.error());
    if (!*market) return json_error(404, "control.unknown_marketplace", "no marketplace named '" + req.params["name"] + "'");
    auto o = s.options->get(req.params["name"]);
    if (!o) return from_error(o.error());
    IdpOptions next = *o;
    std::string algorithm(algorithm_name(next.algorithm));
    if (auto st = read_string(*j, "algorithm", algorithm); !st) return from_error(st.error());
    auto alg = algorithm_from_name(algorithm);
    if (!alg) return json_error(400, "control.invalid_field", "algorithm must be rsa-sha256, rsa-sha384, rsa-sha512 or rsa-sha1", "algorithm");
    next.algorithm = *alg;
    if (auto st = read_bool(*j, "sign_response", next.sign_response); !st) return from_error(st.error());
    if (auto st = read_int(*j, "clock_offset_seconds", next.clock_offset_seconds, -86400, 86400); !st) return from_error(st.error());
    if (auto st = read_int(*j, "recheck_seconds", next.recheck_seconds, 1, 86400); !st) return from_error(st.error());
    int64_t count = 1;
    if (auto st = read_int(*j, "broken_count", count, 1, 1000); !st) return from_error(st.error());
    if (j->contains("broken_mode")) {
      std::string name;
      if (auto st = read_string(*j, "broken_mode", name); !st) return from_error(st.error());
      auto mode = broken_mode_from_name(name);
      if (!mode) return json_error(400, "control.invalid_field", "broken_mode '" + name + "' is unknown (see docs/sandbox.md)", "broken_mode");
      next.broken = *mode;
      next.broken_remaining = *mode == BrokenMode::none ? 0 : count;
    } else if (j->contains("broken_count")) {
      return json_error(400, "control.invalid_field", "broken_count needs broken_mode", "broken_count");
    }
    if (auto st = s.options->set(req.params["name"], next); !st) return from_error(st.error());
    mno::log::info("sandbox.idp_options_changed", {{"marketplace", req.params["name"]}, {"options", options_json(next).dump()}});
    return web::Response::json(200, options_json(next).dump());
  }, body_route);

  router.add("GET", "/control/v1/requests", [s](web::Request& req) {
    size_t limit = 100;
    if (auto l = req.query_param("limit")) {
      try {
        limit = std::clamp<size_t>(std::stoul(*l), 1, 500);
      } catch (...) {
        return json_error(400, "control.invalid_field", "limit must be a number", "limit");
      }
    }
    json list = json::array();
    for (const auto& e : s.log->entries(req.query_param("endpoint").value_or(""), limit))
      list.push_back({{"seq", e.seq}, {"time", e.time}, {"endpoint", e.endpoint}, {"method", e.method}, {"path", e.path},
                      {"query", e.query}, {"status", e.status}, {"note", e.note}});
    return web::Response::json(200, json{{"requests", list}}.dump());
  });

  router.add("DELETE", "/control/v1/requests", [s](web::Request&) {
    s.log->clear();
    return web::Response::json(200, R"({"ok":true})");
  });
}

}  // namespace sandbox
