// See metadata_routes.hpp. Wrong credentials, another marketplace's credentials and an unknown
// marketplace all get the same 401, so the endpoint is no oracle for marketplace names or keys.
#include "tally/web/metadata_routes.hpp"

#include "mno/config/metadata.hpp"
#include "mno/util/log.hpp"
#include "mno/webhook/basic_auth.hpp"
#include "web/header_values.hpp"
#include "web/route_options.hpp"

namespace tally {
namespace {

web::Response metadata_response(const mno::config::Registry& registry, std::string marketplace, const web::Request& req) {
  // The SDKs also served "/maestrano/metadata/{tenant}.json".
  if (marketplace.size() > 5 && marketplace.ends_with(".json")) marketplace.resize(marketplace.size() - 5);
  std::string why;
  auto m = mno::webhook::authenticate_platform_call(registry, marketplace, web::header_values(req, "authorization"), &why);
  if (!m) {
    mno::log::warn("metadata.unauthorized", {{"marketplace", marketplace}, {"reason", why}, {"remote", req.remote_addr}});
    auto res = web::Response::json(401, R"({"error":"Invalid credentials"})");
    res.set_header("WWW-Authenticate", mno::webhook::www_authenticate_value("Tally"));
    res.set_header("Cache-Control", "no-store");
    return res;
  }
  auto res = web::Response::json(200, mno::config::metadata_json(**m).dump());
  res.set_header("Cache-Control", "no-store");
  return res;
}

}  // namespace

void add_metadata_routes(web::Router& router, const mno::config::Registry& registry) {
  // Small and CPU-only (a hash per configured marketplace): safe to run on the I/O thread.
  router.add("GET", "/maestrano/metadata/{marketplace}",
             [&registry](web::Request& req) { return metadata_response(registry, req.params["marketplace"], req); },
             web::non_blocking("maestrano.metadata"));
  router.add("GET", "/maestrano/metadata", [&registry](web::Request& req) { return metadata_response(registry, "", req); },
             web::non_blocking("maestrano.metadata"));
}

}  // namespace tally
