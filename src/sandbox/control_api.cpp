// See control_api.hpp. Every body is validated; a rejection says which field was wrong.
#include "sandbox/control_api.hpp"

#include <nlohmann/json.hpp>

#include "mno/config/marketplace_json.hpp"
#include "mno/util/log.hpp"
#include "web/route_options.hpp"

namespace sandbox {
namespace {

web::Response json_error(int status, const std::string& code, const std::string& message) {
  return web::Response::json(status, nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump());
}

web::Response state_error(const mno::Error& e) {
  mno::log::error("sandbox.state_error", {{"code", e.code}, {"message", e.message}});
  return json_error(500, e.code, "sandbox state error");
}

// Reads {"app_host": "http(s)://..."} from a body; the error names the field.
mno::Result<std::string> app_host_from(const std::string& body, bool required) {
  if (body.empty() && !required) return std::string{};
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return mno::make_error("control.bad_json", "body must be a JSON object");
  if (!j.contains("app_host")) {
    if (required) return mno::make_error("control.missing_field", "missing field app_host");
    return std::string{};
  }
  if (!j["app_host"].is_string()) return mno::make_error("control.invalid_field", "app_host must be a string");
  auto host = j["app_host"].get<std::string>();
  if (host.rfind("http://", 0) != 0 && host.rfind("https://", 0) != 0)
    return mno::make_error("control.invalid_field", "app_host must start with http:// or https://");
  return host;
}

}  // namespace

void add_control_routes(web::Router& router, std::shared_ptr<SandboxState> state) {
  router.add("GET", "/control/v1/state", [state](web::Request&) {
    auto env = state->environment();
    if (!env) return state_error(env.error());
    auto markets = state->marketplaces();
    if (!markets) return state_error(markets.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : *markets)
      list.push_back({{"name", m.name}, {"app_id", m.app_id}, {"api_key", m.api_key}, {"app_host", m.app_host},
                      {"idp_fingerprint", m.idp_fingerprint}, {"legacy_sha1", m.legacy_sha1}});
    nlohmann::json doc = {{"public_url", state->public_url()},
                          {"environment", {{"name", env->name}, {"api_key", env->api_key}, {"api_secret", env->api_secret}}},
                          {"marketplaces", list}};
    return web::Response::json(200, doc.dump());
  });

  // NAME=value lines for the five MNO_DEVPL_* variables the SDKs read (spec §1.5); used by `make demo`.
  router.add("GET", "/control/v1/devpl-env", [state](web::Request&) {
    auto env = state->environment();
    if (!env) return state_error(env.error());
    std::string body = "MNO_DEVPL_HOST=" + state->public_url() + "\n" +
                       "MNO_DEVPL_API_PATH=/api/config/v1/marketplaces\n" + "MNO_DEVPL_ENV_NAME=" + env->name + "\n" +
                       "MNO_DEVPL_ENV_KEY=" + env->api_key + "\n" + "MNO_DEVPL_ENV_SECRET=" + env->api_secret + "\n";
    return web::Response::text(200, body);
  });

  router.add("GET", "/control/v1/marketplaces/{name}", [state](web::Request& req) {
    auto m = state->marketplace(req.params["name"]);
    if (!m) return state_error(m.error());
    if (!*m) return json_error(404, "control.unknown_marketplace", "no marketplace named '" + req.params["name"] + "'");
    return web::Response::json(200, mno::config::marketplace_to_json(state->describe(**m), true).dump());
  });

  router.add("PUT", "/control/v1/marketplaces/{name}/app-host", [state](web::Request& req) {
    auto host = app_host_from(req.body, true);
    if (!host) return json_error(400, host.error().code, host.error().message);
    auto s = state->set_app_host(req.params["name"], *host);
    if (!s && s.error().code == "sandbox.unknown_marketplace") return json_error(404, s.error().code, s.error().message);
    if (!s) return state_error(s.error());
    mno::log::info("sandbox.app_host_changed", {{"marketplace", req.params["name"]}, {"app_host", *host}});
    return web::Response::json(200, R"({"ok":true})");
  }, web::named("control", 64 * 1024));

  router.add("POST", "/control/v1/reset", [state](web::Request& req) {
    auto host = app_host_from(req.body, false);
    if (!host) return json_error(400, host.error().code, host.error().message);
    std::string app_host = *host;
    if (app_host.empty()) {
      auto markets = state->marketplaces();
      app_host = markets && !markets->empty() ? markets->front().app_host : "http://127.0.0.1:7800";
    }
    auto s = state->reset(app_host);
    if (!s) return state_error(s.error());
    mno::log::info("sandbox.reset", {{"app_host", app_host}});
    return web::Response::json(200, R"({"ok":true})");
  }, web::named("control", 64 * 1024));
}

}  // namespace sandbox
