// Auto-configuration from the Maestrano developer platform (spec §1.4, §1.5): where it is (environment
// variables) and fetching the marketplace list with the environment's key and secret.
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mno/config/marketplace.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/result.hpp"

namespace mno::config {

struct DevPlatformSettings {
  std::string host;                                   // "https://developer.maestrano.com"
  std::string api_path = "/api/config/v1/marketplaces";
  std::string env_name;                               // informational (Ruby requires it, never sent)
  std::string env_key;                                // HTTP Basic user
  std::string env_secret;                             // HTTP Basic password (secret)
  std::chrono::milliseconds timeout{30000};

  // host + api_path without a doubled slash; "/marketplaces" is appended when api_path is a base such as
  // "/api/config/v1" or "/api/config/v1/" (the Java/PHP/.NET convention).
  std::string url() const;
};

// Reads MNO_DEVPL_HOST, MNO_DEVPL_API_PATH (optional), MNO_DEVPL_ENV_NAME (optional), MNO_DEVPL_ENV_KEY,
// MNO_DEVPL_ENV_SECRET. Missing/empty required variable → "config.missing_env" naming the variable;
// a host that is not http(s) → "config.invalid_env".
Result<DevPlatformSettings> dev_platform_from_env(std::function<std::optional<std::string>(const char*)> getenv);
// The real process environment.
Result<DevPlatformSettings> dev_platform_from_env();

// GET url() with Basic key:secret and Accept: application/json. 401 → "config.devpl_unauthorized",
// other non-200 → "config.devpl_status", transport error → "config.devpl_unreachable"; then
// marketplaces_from_json (its codes).
Result<std::vector<Marketplace>> fetch_marketplaces(http::HttpClient& client, const DevPlatformSettings& settings);

}  // namespace mno::config
