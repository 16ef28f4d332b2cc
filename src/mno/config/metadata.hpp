// The legacy metadata endpoint body (spec §2): the marketplace configuration without secrets, in the
// Java/.NET dev-platform shape plus "environment".
#pragma once
#include <string_view>

#include <nlohmann/json.hpp>

#include "mno/config/marketplace.hpp"

namespace mno::config {

inline constexpr std::string_view kSdkVersion = "0.1.0";

// Never contains api.key, api.token or any other secret.
nlohmann::json metadata_json(const Marketplace& marketplace);

}  // namespace mno::config
