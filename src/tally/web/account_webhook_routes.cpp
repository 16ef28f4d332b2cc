// See account_webhook_routes.hpp. The precheck authenticates from the headers alone, so an
// unauthenticated sender never gets a body read; the handler authenticates again (a hash per
// marketplace, microseconds) to learn the marketplace rather than pass it through the request.
#include "tally/web/account_webhook_routes.hpp"

#include "mno/util/log.hpp"
#include "mno/webhook/basic_auth.hpp"
#include "web/header_values.hpp"
#include "web/route_options.hpp"

namespace tally {
namespace {

constexpr size_t kMaxBody = 64 * 1024;  // the platform sends no body on DELETE; cap whatever comes

web::Response json(int status, const std::string& body) {
  auto res = web::Response::json(status, body);
  res.set_header("Cache-Control", "no-store");
  return res;
}

web::Response unauthorized() {
  auto res = json(401, R"({"error":"Invalid credentials"})");
  res.set_header("WWW-Authenticate", mno::webhook::www_authenticate_value("Tally"));
  return res;
}

std::shared_ptr<const mno::config::Marketplace> authenticate(Services& services, const web::Request& req,
                                                             const std::string& event) {
  std::string why;
  auto path_marketplace = req.params.count("marketplace") ? req.params.at("marketplace") : std::string();
  auto m = mno::webhook::authenticate_platform_call(services.registry, path_marketplace,
                                                    web::header_values(req, "authorization"), &why);
  if (!m) {
    mno::log::warn(event + ".unauthorized",
                   {{"marketplace", path_marketplace}, {"reason", why}, {"remote", req.remote_addr}});
    return nullptr;
  }
  return *m;
}

web::RouteOptions options(Services& services, const std::string& name) {
  web::RouteOptions o = web::named(name, kMaxBody);
  o.precheck = [&services, name](web::Request& req) -> std::optional<web::Response> {
    if (!authenticate(services, req, name)) return unauthorized();
    return std::nullopt;
  };
  return o;
}

// The platform retries on non-2xx: a database failure answers 500 so the call comes again.
web::Response outcome_response(const mno::Result<WebhookOutcome>& r, const std::string& event) {
  if (!r) {
    mno::log::error(event + ".failed", {{"code", r.error().code}, {"message", r.error().message}});
    return json(500, R"({"success":false,"error":"Temporary failure, please retry"})");
  }
  return json(200, R"({"success":true})");
}

web::Response group_deleted(Services& services, web::Request& req) {
  auto m = authenticate(services, req, "webhook.group_delete");
  if (!m) return unauthorized();
  auto r = services.billing.cancel_group(*m, req.params["group_id"]);
  if (r && r->changed) services.nudge_worker(kBillingLedgerJob);
  return outcome_response(r, "webhook.group_delete");
}

web::Response group_user_deleted(Services& services, web::Request& req) {
  auto m = authenticate(services, req, "webhook.group_user_delete");
  if (!m) return unauthorized();
  auto r = services.billing.remove_group_user(*m, req.params["group_id"], req.params["user_id"]);
  if (r && r->changed) services.nudge_worker(kBillingLedgerJob);
  return outcome_response(r, "webhook.group_user_delete");
}

}  // namespace

void add_account_webhook_routes(web::Router& router, Services& services) {
  auto group = [&services](web::Request& req) { return group_deleted(services, req); };
  auto user = [&services](web::Request& req) { return group_user_deleted(services, req); };
  // With the marketplace suffix (dev-platform paths), and without it when only one marketplace is configured.
  router.add("DELETE", "/maestrano/account/groups/{group_id}/{marketplace}", group, options(services, "webhook.group_delete"));
  router.add("DELETE", "/maestrano/account/groups/{group_id}", group, options(services, "webhook.group_delete"));
  router.add("DELETE", "/maestrano/account/groups/{group_id}/users/{user_id}/{marketplace}", user,
             options(services, "webhook.group_user_delete"));
  router.add("DELETE", "/maestrano/account/groups/{group_id}/users/{user_id}", user,
             options(services, "webhook.group_user_delete"));
}

}  // namespace tally
