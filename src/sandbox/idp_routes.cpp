// See idp_routes.hpp. Pages are mustache templates (escaped by default). The flow state between
// pages is the original query string itself (replayed verbatim), as the ref sandbox did, so nothing
// about a pending login is kept server-side except the IdP login cookie.
#include "sandbox/idp_routes.hpp"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "mno/saml/authn_request.hpp"
#include "mno/saml/xml_security.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "sandbox/assets.hpp"
#include "sandbox/idp_response.hpp"
#include "web/url.hpp"
#include "web/route_options.hpp"

namespace sandbox {
namespace {

namespace mu = kainjow::mustache;

std::string render(const char* name, const mu::data& view) {
  // A template object is not safe to share across threads (render() mutates it): one per request.
  mu::mustache tmpl{std::string(assets().at(std::string("templates/") + name))};
  return tmpl.render(view);
}

web::Response noted(web::Response res, std::string note) {
  res.set_header("X-Sandbox-Note", std::move(note));
  return res;
}

web::Response message_page(int status, const std::string& title, const std::string& message, const std::string& detail = "",
                           const std::string& note = "") {
  mu::data view;
  view.set("title", title);
  view.set("message", message);
  if (!detail.empty()) view.set("detail", detail);
  return noted(web::Response::html(status, render("idp_message.mustache", view)), note.empty() ? title : note);
}

web::Response state_error(const mno::Error& e) {
  mno::log::error("sandbox.idp_state_error", {{"code", e.code}, {"message", e.message}});
  return message_page(500, "Sandbox error", "The sandbox state could not be read.", e.code, "state error");
}

web::Cookie login_cookie(std::string value, std::optional<long> max_age = std::nullopt) {
  web::Cookie c;
  c.name = kIdpLoginCookie;
  c.value = std::move(value);
  c.max_age = max_age;
  c.same_site = "Lax";  // sent on the top-level GET redirect from the app
  return c;
}

// The raw query without any group_id parameter, so a group choice can be appended.
std::string query_without(std::string_view query, std::string_view name) {
  std::string out;
  size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    auto piece = query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    auto key = web::url_decode(piece.substr(0, piece.find('=')), true);
    if (!piece.empty() && !(key && *key == name)) {
      if (!out.empty()) out += '&';
      out += piece;
    }
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return out;
}

std::string param(const mno::saml::ParsedAuthnRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.extra_params)
    if (k == name) return v;
  return {};
}

bool is_http_url(std::string_view u) {
  if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) return false;
  return std::none_of(u.begin(), u.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

std::string full_name(const DirectoryUser& u) { return u.first_name + " " + u.last_name; }

struct SsoHandler {
  IdpServices s;

  web::Response operator()(web::Request& req) const {
    auto parsed = mno::saml::parse_authn_request(req.query);
    if (!parsed)
      return message_page(400, "Bad SAML request", "The AuthnRequest could not be read.", parsed.error().message,
                          "bad request: " + parsed.error().code);
    if (!is_http_url(parsed->acs_url))
      return message_page(400, "Bad SAML request", "The AssertionConsumerServiceURL is not an http(s) URL.", "",
                          "bad request: acs url");
    auto markets = s.state->marketplaces();
    if (!markets) return state_error(markets.error());
    const MarketplaceRecord* market = nullptr;
    std::string other_key;
    for (const auto& m : *markets) {
      if (m.app_id == parsed->issuer) market = &m;
      else if (other_key.empty()) other_key = m.idp_private_key_pem;
    }
    if (!market)
      return message_page(400, "Wrong APP ID", "No app with this id is registered in the sandbox.", parsed->issuer,
                          "unknown issuer");

    // Who is signed in at the IdP: a test login (flag only), else the login cookie.
    std::optional<std::string> new_cookie;
    std::optional<std::string> user_uid;
    if (auto as_user = param(*parsed, "as_user"); !as_user.empty()) {
      if (!s.allow_test_login) {
        mno::log::warn("sandbox.test_login_refused", {{"reason", "started without --allow-test-login"}});
      } else {
        auto token = s.directory->create_login(as_user);
        if (!token && token.error().code == "directory.unknown_user")
          return message_page(400, "Unknown user", "as_user names no sandbox user.", as_user, "unknown as_user");
        if (!token) return state_error(token.error());
        new_cookie = *token;
        user_uid = as_user;
      }
    }
    if (!user_uid) {
      if (auto cookie = req.cookie(kIdpLoginCookie)) {
        auto who = s.directory->login_user(*cookie);
        if (!who) return state_error(who.error());
        user_uid = *who;
      }
    }
    if (!user_uid) return user_picker(req, *market);

    auto user = s.directory->user(*user_uid);
    if (!user) return state_error(user.error());
    if (!*user) return user_picker(req, *market);
    auto res = answer(req, *market, *parsed, **user, other_key);
    if (new_cookie) res.set_cookie(login_cookie(*new_cookie));
    return res;
  }

  web::Response user_picker(const web::Request& req, const MarketplaceRecord& market) const {
    auto users = s.directory->users();
    if (!users) return state_error(users.error());
    mu::data list{mu::data::type::list};
    for (const auto& u : *users) {
      auto groups = s.directory->groups_of(u.uid, market.name);
      if (!groups) return state_error(groups.error());
      mu::data row;
      row.set("uid", u.uid);
      row.set("first_name", u.first_name);
      row.set("last_name", u.last_name);
      row.set("email", u.email);
      row.set("group_count", std::to_string(groups->size()));
      list.push_back(row);
    }
    mu::data view;
    view.set("app_id", market.app_id);
    view.set("marketplace", market.name);
    view.set("request_query", req.query);
    view.set("users", list);
    return noted(web::Response::html(200, render("idp_pick_user.mustache", view)), "user picker");
  }

  web::Response answer(const web::Request& req, const MarketplaceRecord& market, const mno::saml::ParsedAuthnRequest& request,
                       const DirectoryUser& user, const std::string& other_key) const {
    auto groups = s.directory->groups_of(user.uid, market.name);
    if (!groups) return state_error(groups.error());
    if (groups->empty())
      return message_page(403, "Access denied", user.first_name + " " + user.last_name + " has no company using " +
                          market.app_id + " in this marketplace.", "", "access denied: " + user.uid);
    const UserGroup* chosen = groups->size() == 1 ? &groups->front() : nullptr;
    if (!chosen) {
      const auto wanted = param(request, "group_id");
      for (const auto& g : *groups)
        if (g.group.uid == wanted) chosen = &g;
    }
    if (!chosen) return group_picker(req, market, user, *groups);

    auto options = s.options->take_for_response(market.name);
    if (!options) return state_error(options.error());
    auto built = build_idp_answer(*s.state, market, request, user, *chosen, *options, other_key, *s.clock, *s.random);
    if (!built) {
      mno::log::error("sandbox.idp_signing_failed", {{"code", built.error().code}, {"message", built.error().message}});
      return message_page(500, "Signing failed", "The sandbox could not sign the response.", built.error().code, "signing failed");
    }
    mno::log::info("sandbox.idp_response", {{"marketplace", market.name}, {"user", user.uid}, {"group", chosen->group.uid},
                                            {"broken", std::string(broken_mode_name(built->broken))}});
    mu::data view;
    view.set("app_id", market.app_id);
    view.set("acs_url", built->acs_url);
    view.set("saml_response", built->saml_response);
    view.set("user_name", full_name(user));
    view.set("group_name", chosen->group.name);
    view.set("role", chosen->role);
    auto res = web::Response::html(200, render("idp_post.mustache", view));
    res.set_header("Cache-Control", "no-store");
    std::string note = "response sent: " + user.uid + " in " + chosen->group.uid;
    if (built->broken != BrokenMode::none) note += " (broken: " + std::string(broken_mode_name(built->broken)) + ")";
    return noted(std::move(res), note);
  }

  web::Response group_picker(const web::Request& req, const MarketplaceRecord& market, const DirectoryUser& user,
                             const std::vector<UserGroup>& groups) const {
    const std::string base = "/api/v1/auth/saml?" + query_without(req.query, "group_id") + "&group_id=";
    mu::data list{mu::data::type::list};
    for (const auto& g : groups) {
      mu::data row;
      row.set("uid", g.group.uid);
      row.set("name", g.group.name);
      row.set("role", g.role);
      row.set("href", base + web::url_encode(g.group.uid));
      list.push_back(row);
    }
    mu::data view;
    view.set("app_id", market.app_id);
    view.set("user_name", full_name(user));
    view.set("groups", list);
    return noted(web::Response::html(200, render("idp_pick_group.mustache", view)), "group picker: " + user.uid);
  }
};

}  // namespace

void add_idp_routes(web::Router& router, const IdpServices& services) {
  if (auto s = mno::saml::ensure_xml_security(); !s)
    mno::log::error("sandbox.xmlsec_init_failed", {{"code", s.error().code}, {"message", s.error().message}});
  auto& log = *services.log;
  const IdpServices s = services;

  router.add("GET", "/api/v1/auth/saml", log.wrap("idp.sso", SsoHandler{s}), web::named("idp.sso", 0));

  // The user picker posts here: sign the browser in, then replay the original request.
  router.add("POST", "/api/v1/auth/saml", log.wrap("idp.sign_in", [s](web::Request& req) {
    auto form = req.form();
    const auto& query = form["request_query"];
    const auto& uid = form["user_uid"];
    if (query.empty() || std::any_of(query.begin(), query.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
      return message_page(400, "Bad sign-in", "The original SAML request is missing.", "", "bad sign-in");
    auto token = s.directory->create_login(uid);
    if (!token && token.error().code == "directory.unknown_user")
      return message_page(400, "Unknown user", "Choose a user from the list.", uid, "unknown user");
    if (!token) return state_error(token.error());
    auto res = web::Response::redirect("/api/v1/auth/saml?" + query, 303);
    res.set_cookie(login_cookie(*token));
    return noted(std::move(res), "signed in: " + uid);
  }), web::named("idp.sign_in", 64 * 1024));

  // spec 3.8: always 200, no auth; id may be a uid, virtual uid or virtual email.
  router.add("GET", "/api/v1/auth/saml/{uid}", log.wrap("idp.session_check", [s](web::Request& req) {
    const auto token = req.query_param("session").value_or("");
    auto valid = s.directory->session_is_valid(req.params["uid"], token);
    if (!valid) return web::Response::json(500, R"({"error":"sandbox state unavailable"})");
    // The endpoint names no app: use the shortest re-check interval configured on any marketplace.
    int64_t recheck = 180;
    if (auto markets = s.state->marketplaces()) {
      bool first = true;
      for (const auto& m : *markets)
        if (auto o = s.options->get(m.name)) {
          recheck = first ? o->recheck_seconds : std::min(recheck, o->recheck_seconds);
          first = false;
        }
    }
    nlohmann::json body = {{"valid", *valid}, {"recheck", mno::format_iso8601(s.clock->now() + std::chrono::seconds(recheck))}};
    return noted(web::Response::json(200, body.dump()), *valid ? "valid" : "invalid");
  }), web::named("idp.session_check", 0));

  router.add("GET", "/app_logout", log.wrap("idp.logout", [s](web::Request& req) {
    if (auto cookie = req.cookie(kIdpLoginCookie))
      if (auto e = s.directory->end_login(*cookie); !e) return state_error(e.error());
    auto res = message_page(200, "Logged out", "You are logged out of the sandbox platform.", "", "logged out");
    res.set_cookie(login_cookie("", 0));
    return res;
  }), web::named("idp.logout", 0));

  router.add("GET", "/app_access_unauthorized", log.wrap("idp.unauthorized", [](web::Request& req) {
    return message_page(200, "Access unauthorized", "The application could not sign you in.",
                        req.query_param("err").value_or(""), "unauthorized");
  }), web::named("idp.unauthorized", 0));

  router.add("GET", "/static/autosubmit.js", [](web::Request&) {
    web::Response res;
    res.status = 200;
    res.body = std::string(assets().at("static/autosubmit.js"));
    res.set_header("Content-Type", "application/javascript; charset=utf-8");
    res.set_header("Cache-Control", "public, max-age=3600");
    return res;
  }, web::named("static.autosubmit", 0));
}

}  // namespace sandbox
