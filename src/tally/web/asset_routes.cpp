// See asset_routes.hpp.
#include "tally/web/asset_routes.hpp"

#include "tally/assets.hpp"
#include "web/route_options.hpp"

namespace tally {
namespace {

std::string content_type(std::string_view path) {
  auto ends = [&](std::string_view s) { return path.ends_with(s); };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

}  // namespace

void add_asset_routes(web::Router& router) {
  router.add("GET", "/static/{path...}", [](web::Request& req) {
    const auto& files = assets();
    auto it = files.find("static/" + req.params["path"]);
    if (it == files.end()) return web::Response::text(404, "Not found");
    web::Response res;
    res.status = 200;
    res.body = std::string(it->second);
    res.set_header("Content-Type", content_type(req.params["path"]));
    res.set_header("Cache-Control", "public, max-age=3600");
    return res;
  }, web::non_blocking("static"));
}

}  // namespace tally
