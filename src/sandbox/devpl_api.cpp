// See devpl_api.hpp. The environment credentials are compared in constant time, like any secret.
#include "sandbox/devpl_api.hpp"

#include <nlohmann/json.hpp>

#include "mno/config/marketplace_json.hpp"
#include "mno/util/log.hpp"
#include "mno/util/secure_compare.hpp"
#include "mno/webhook/basic_auth.hpp"
#include "web/header_values.hpp"
#include "web/route_options.hpp"

namespace sandbox {

void add_devpl_routes(web::Router& router, std::shared_ptr<SandboxState> state) {
  auto handler = [state](web::Request& req) {
    auto unauthorized = [] {
      auto res = web::Response::json(401, R"({"error":"Could not authenticate"})");
      res.set_header("WWW-Authenticate", mno::webhook::www_authenticate_value("Developer platform"));
      return res;
    };
    auto creds = mno::webhook::parse_basic_authorization(web::header_values(req, "authorization"));
    if (!creds) return unauthorized();
    auto env = state->environment();
    if (!env) return web::Response::json(500, R"({"error":"sandbox state unavailable"})");
    const bool ok = mno::secure_equals(creds->user, env->api_key) & mno::secure_equals(creds->password, env->api_secret);
    if (!ok) {
      mno::log::warn("devpl.unauthorized", {{"remote", req.remote_addr}});
      return unauthorized();
    }
    auto markets = state->marketplaces();
    if (!markets) return web::Response::json(500, R"({"error":"sandbox state unavailable"})");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : *markets) list.push_back(mno::config::marketplace_to_json(state->describe(m), true));
    return web::Response::json(200, nlohmann::json{{"marketplaces", list}}.dump());
  };
  // The real platform tolerated a doubled slash from SDKs that join paths naively.
  router.add("GET", "/api/config/v1/marketplaces", handler, web::named("devpl.marketplaces"));
  router.add("GET", "/api/config/v1//marketplaces", handler, web::named("devpl.marketplaces"));
}

}  // namespace sandbox
