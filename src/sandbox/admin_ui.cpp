// See admin_ui.hpp. Templates are embedded (assets/sandbox) and escaped by mustache by default.
#include "sandbox/admin_ui.hpp"

#include <kainjow/mustache.hpp>

#include "sandbox/assets.hpp"

namespace sandbox {

void add_admin_routes(web::Router& router, std::shared_ptr<SandboxState> state) {
  router.add("GET", "/", [state](web::Request&) {
    auto env = state->environment();
    auto markets = state->marketplaces();
    if (!env || !markets) return web::Response::html(500, "<h1>Sandbox state unavailable</h1>");
    namespace mu = kainjow::mustache;
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
    // A template object is not safe to share across threads (render() mutates it): one per request.
    mu::mustache tmpl{std::string(assets().at("templates/admin.mustache"))};
    return web::Response::html(200, tmpl.render(view));
  });
}

}  // namespace sandbox
