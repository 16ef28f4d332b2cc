// See admin_ui.hpp. Templates are embedded (assets/sandbox) and escaped by mustache by default.
#include "sandbox/admin_ui.hpp"

#include <kainjow/mustache.hpp>

#include "mno/util/log.hpp"
#include "mno/util/secure_compare.hpp"
#include "sandbox/assets.hpp"
#include "sandbox/directory_api.hpp"
#include "web/route_options.hpp"
#include "web/url.hpp"

namespace sandbox {

namespace {
namespace mu = kainjow::mustache;

// The directory part of the admin page; false when the state cannot be read.
bool add_directory_view(mu::data& view, const IdpServices& idp, const std::vector<MarketplaceRecord>& markets) {
  auto users = idp.directory->users();
  auto groups = idp.directory->groups();
  auto memberships = idp.directory->memberships();
  if (!users || !groups || !memberships) return false;
  mu::data user_list{mu::data::type::list};
  for (const auto& u : *users) {
    mu::data row;
    row.set("uid", u.uid);
    row.set("name", u.first_name + " " + u.last_name);
    row.set("email", u.email);
    row.set("country", u.country);
    row.set("token", u.session_token);
    row.set("valid", u.session_valid ? "yes" : "no");
    row.set("toggle", u.session_valid ? "false" : "true");
    row.set("toggle_label", u.session_valid ? "Mark session invalid" : "Mark session valid");
    user_list.push_back(row);
  }
  mu::data group_list{mu::data::type::list};
  for (const auto& g : *groups) {
    mu::data members{mu::data::type::list};
    for (const auto& m : *memberships) {
      if (m.group_uid != g.uid) continue;
      mu::data row;
      row.set("user_uid", m.user_uid);
      row.set("role", m.role);
      row.set("group_uid", g.uid);
      row.set("marketplace", g.marketplace);
      members.push_back(row);
    }
    mu::data row;
    row.set("uid", g.uid);
    row.set("marketplace", g.marketplace);
    row.set("name", g.name);
    row.set("currency", g.currency);
    row.set("timezone", g.timezone);
    row.set("members", members);
    group_list.push_back(row);
  }
  mu::data market_names{mu::data::type::list};
  for (const auto& m : markets) market_names.push_back(mu::data("name", m.name));
  mu::data roles{mu::data::type::list};
  for (const auto& r : directory_roles()) roles.push_back(mu::data("role", r));
  mu::data dir;
  dir.set("users", user_list);
  dir.set("groups", group_list);
  dir.set("market_names", market_names);
  dir.set("roles", roles);
  view.set("directory", dir);
  return true;
}

web::Response admin_error(int status, const std::string& message) {
  mu::data view;
  view.set("title", "Not saved");
  view.set("message", message);
  mu::mustache tmpl{std::string(assets().at("templates/idp_message.mustache"))};
  return web::Response::html(status, tmpl.render(view));
}

int status_for(const mno::Error& e) {
  if (e.code == "directory.invalid_field") return 400;
  if (e.code == "directory.duplicate") return 409;
  if (e.code.rfind("directory.unknown_", 0) == 0) return 404;
  return 500;
}

void add_directory_admin_routes(web::Router& router, std::shared_ptr<SandboxState> state, const IdpServices& idp) {
  const auto form_route = web::named("admin.form", 64 * 1024);
  router.add("POST", "/admin/users", [idp](web::Request& req) {
    auto f = req.form();
    auto u = idp.directory->create_user({"", f["first_name"], f["last_name"], f["email"], f["country"], f["company_name"]});
    if (!u) return admin_error(status_for(u.error()), u.error().message);
    return web::Response::redirect("/#directory");
  }, form_route);
  router.add("POST", "/admin/groups", [idp](web::Request& req) {
    auto f = req.form();
    NewGroup g;
    g.marketplace = f["marketplace"];
    g.name = f["name"];
    g.email = f["email"];
    g.currency = f["currency"];
    g.timezone = f["timezone"];
    g.country = f["country"];
    auto created = idp.directory->create_group(g);
    if (!created) return admin_error(status_for(created.error()), created.error().message);
    return web::Response::redirect("/#directory");
  }, form_route);
  router.add("POST", "/admin/memberships", [idp](web::Request& req) {
    auto f = req.form();
    if (auto s = idp.directory->set_membership(f["user_uid"], f["group_uid"], f["role"]); !s)
      return admin_error(status_for(s.error()), s.error().message);
    return web::Response::redirect("/#directory");
  }, form_route);
  router.add("POST", "/admin/users/{uid}/regenerate-session", [idp](web::Request& req) {
    if (auto t = idp.directory->regenerate_session(req.params["uid"]); !t) return admin_error(status_for(t.error()), t.error().message);
    return web::Response::redirect("/#directory");
  }, form_route);
  router.add("POST", "/admin/users/{uid}/session-valid", [idp](web::Request& req) {
    if (auto s = idp.directory->set_session_valid(req.params["uid"], req.form()["valid"] == "true"); !s)
      return admin_error(status_for(s.error()), s.error().message);
    return web::Response::redirect("/#directory");
  }, form_route);
  // "Launch Tally as this user in this group": sign this browser in at the IdP as the user, then go
  // to the app's init URL with group_id, as the ref sandbox's sso_trigger did.
  router.add("POST", "/admin/launch", [idp, state](web::Request& req) {
    auto f = req.form();
    auto market = state->marketplace(f["marketplace"]);
    if (!market || !*market) return admin_error(404, "no marketplace named '" + f["marketplace"] + "'");
    auto groups = idp.directory->groups_of(f["user_uid"], f["marketplace"]);
    if (!groups) return admin_error(500, groups.error().message);
    if (std::none_of(groups->begin(), groups->end(), [&](const UserGroup& g) { return g.group.uid == f["group_uid"]; }))
      return admin_error(400, f["user_uid"] + " is not a member of " + f["group_uid"]);
    auto token = idp.directory->create_login(f["user_uid"]);
    if (!token) return admin_error(status_for(token.error()), token.error().message);
    auto res = web::Response::redirect(launch_url(*state, **market, f["group_uid"]));
    web::Cookie c;
    c.name = kIdpLoginCookie;
    c.value = *token;
    res.set_cookie(c);
    return res;
  }, form_route);
}

// The webhook buttons (cancel the app, remove a member) and the delivery log page. The buttons
// carry the per-process CSRF token: they make the sandbox call the app, so another site must not be
// able to press them through the developer's browser.
void add_webhook_admin_routes(web::Router& router, const AccountWebhookServices& hooks) {
  const auto form_route = web::named("admin.form", 64 * 1024);
  auto csrf_ok = [hooks](const web::Request& req) {
    auto f = req.form();
    auto it = f.find("_csrf");
    return it != f.end() && mno::secure_equals(it->second, hooks.admin_csrf_token);
  };
  router.add("POST", "/admin/groups/{group}/cancel", [hooks, csrf_ok](web::Request& req) {
    if (!csrf_ok(req)) return admin_error(403, "The form is stale or came from another site (CSRF token mismatch); reload the page.");
    auto id = cancel_app_for_group(hooks, req.params["group"]);
    if (!id) return admin_error(status_for(id.error()), id.error().message);
    return web::Response::redirect("/admin/deliveries");
  }, form_route);
  router.add("POST", "/admin/groups/{group}/users/{user}/remove", [hooks, csrf_ok](web::Request& req) {
    if (!csrf_ok(req)) return admin_error(403, "The form is stale or came from another site (CSRF token mismatch); reload the page.");
    auto id = remove_user_from_group(hooks, req.params["group"], req.params["user"]);
    if (!id) return admin_error(status_for(id.error()), id.error().message);
    return web::Response::redirect("/admin/deliveries");
  }, form_route);
  router.add("GET", "/admin/deliveries", [hooks](web::Request& req) {
    auto list = hooks.deliveries->list(req.query_param("kind").value_or(""), 100);
    if (!list) return web::Response::html(500, "<h1>Sandbox state unavailable</h1>");
    mu::data rows{mu::data::type::list};
    for (const auto& d : *list) {
      mu::data attempts{mu::data::type::list};
      for (const auto& a : d.log) {
        mu::data row;
        row.set("attempt", std::to_string(a.attempt));
        row.set("time", a.time);
        row.set("outcome", a.status ? std::to_string(a.status) : a.error);
        row.set("latency", std::to_string(a.latency_ms));
        if (!a.response_body.empty()) row.set("body", a.response_body);
        attempts.push_back(row);
      }
      mu::data row;
      row.set("id", std::to_string(d.id));
      row.set("created", d.created_at);
      row.set("kind", d.kind);
      row.set("marketplace", d.marketplace);
      row.set("method", d.method);
      row.set("url", d.url);
      row.set("state", d.state);
      row.set("attempts", std::to_string(d.attempts));
      row.set("next", d.next_attempt_at);
      row.set("log", attempts);
      rows.push_back(row);
    }
    mu::data view;
    view.set("deliveries", rows);
    mu::mustache tmpl{std::string(assets().at("templates/deliveries.mustache"))};
    return web::Response::html(200, tmpl.render(view));
  });
}

}  // namespace

void add_admin_routes(web::Router& router, std::shared_ptr<SandboxState> state, const IdpServices* idp_ptr,
                      const AccountWebhookServices* webhooks) {
  std::optional<IdpServices> idp;
  if (idp_ptr) {
    idp = *idp_ptr;
    add_directory_admin_routes(router, state, *idp);
  }
  std::string csrf;
  if (webhooks) {
    add_webhook_admin_routes(router, *webhooks);
    csrf = webhooks->admin_csrf_token;
  }
  router.add("GET", "/", [state, idp, csrf](web::Request&) {
    auto env = state->environment();
    auto markets = state->marketplaces();
    if (!env || !markets) return web::Response::html(500, "<h1>Sandbox state unavailable</h1>");
    mu::data list{mu::data::type::list};
    for (const auto& m : *markets) {
      mu::data row;
      row.set("name", m.name);
      row.set("app_id", m.app_id);
      row.set("api_key", m.api_key);
      row.set("app_host", m.app_host);
      row.set("fingerprint", m.idp_fingerprint);
      list.push_back(row);
    }
    mu::data view;
    view.set("public_url", state->public_url());
    view.set("env_name", env->name);
    view.set("env_key", env->api_key);
    view.set("env_secret", env->api_secret);
    view.set("marketplaces", list);
    if (!csrf.empty()) view.set("webhooks", mu::data("csrf", csrf));
    if (idp && !add_directory_view(view, *idp, *markets)) return web::Response::html(500, "<h1>Sandbox state unavailable</h1>");
    // A template object is not safe to share across threads (render() mutates it): one per request.
    mu::mustache tmpl{std::string(assets().at("templates/admin.mustache"))};
    return web::Response::html(200, tmpl.render(view));
  });
}

}  // namespace sandbox
