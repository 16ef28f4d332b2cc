// Developer-platform auto-configure: settings from MNO_DEVPL_* variables, and the authenticated GET of
// the marketplace list with each failure mapped to its own code (so operators see why at start-up).
#include "mno/config/dev_platform.hpp"

#include <cstdlib>

#include "mno/config/marketplace_json.hpp"
#include "mno/util/log.hpp"

namespace mno::config {

std::string DevPlatformSettings::url() const {
  std::string h = host;
  while (!h.empty() && h.back() == '/') h.pop_back();
  std::string path = api_path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.empty() || path.front() != '/') path = "/" + path;  // (insert(0, …) trips GCC 12's -Wrestrict at -O2)
  // Ruby documents the full path; Java, PHP and .NET append "marketplaces" to a base like
  // "/api/config/v1": accept both spellings of MNO_DEVPL_API_PATH.
  if (!path.ends_with("/marketplaces")) path += "/marketplaces";
  return h + path;
}

Result<DevPlatformSettings> dev_platform_from_env(std::function<std::optional<std::string>(const char*)> getenv) {
  auto read = [&](const char* name) -> std::string { return getenv(name).value_or(""); };
  DevPlatformSettings s;
  s.host = read("MNO_DEVPL_HOST");
  if (auto path = read("MNO_DEVPL_API_PATH"); !path.empty()) s.api_path = path;
  s.env_name = read("MNO_DEVPL_ENV_NAME");
  s.env_key = read("MNO_DEVPL_ENV_KEY");
  s.env_secret = read("MNO_DEVPL_ENV_SECRET");
  for (auto [name, value] : {std::pair{"MNO_DEVPL_HOST", &s.host}, std::pair{"MNO_DEVPL_ENV_KEY", &s.env_key},
                             std::pair{"MNO_DEVPL_ENV_SECRET", &s.env_secret}})
    if (value->empty()) return make_error("config.missing_env", std::string("environment variable ") + name + " is not set");
  if (!s.host.starts_with("http://") && !s.host.starts_with("https://"))
    return make_error("config.invalid_env", "environment variable MNO_DEVPL_HOST must be an http:// or https:// URL");
  return s;
}

Result<DevPlatformSettings> dev_platform_from_env() {
  return dev_platform_from_env([](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  });
}

Result<std::vector<Marketplace>> fetch_marketplaces(http::HttpClient& client, const DevPlatformSettings& settings) {
  http::Request req;
  req.method = "GET";
  req.url = settings.url();
  req.headers.emplace_back("Accept", "application/json");
  req.basic_auth = std::make_pair(settings.env_key, settings.env_secret);
  req.timeout = settings.timeout;

  auto res = client.send(req);
  if (!res) {
    log::warn("config.devpl_unreachable", {{"url", req.url}, {"code", res.error().code}, {"detail", res.error().message}});
    return make_error("config.devpl_unreachable", "developer platform " + req.url + " unreachable: " + res.error().message);
  }
  if (res->status == 401)
    return make_error("config.devpl_unauthorized",
                      "developer platform " + req.url + " rejected the environment key/secret (HTTP 401)");
  if (res->status != 200)
    return make_error("config.devpl_status",
                      "developer platform " + req.url + " answered HTTP " + std::to_string(res->status));
  auto parsed = marketplaces_from_json(res->body);
  if (!parsed) return make_error(parsed.error().code, "developer platform " + req.url + ": " + parsed.error().message);
  log::info("config.devpl_fetched", {{"url", req.url}, {"marketplaces", std::to_string(parsed->size())}});
  return parsed;
}

}  // namespace mno::config
