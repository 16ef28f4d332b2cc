// JSON ⇄ Marketplace: the dev-platform document `{"marketplaces":[...]}` (spec §1.4), with strict
// validation so that a bad configuration fails at load time with the field and marketplace named,
// instead of failing later inside SSO or a webhook.
#pragma once
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/config/marketplace.hpp"
#include "mno/util/result.hpp"

namespace mno::config {

// Error codes: "config.missing_field", "config.invalid_field"; messages look like
// `marketplace "maestrano-uat": missing required field api.key`. Validates URL schemes, fingerprint
// syntax, that the PEM certificate parses and its SHA-1 fingerprint equals sso.x509_fingerprint,
// sso.creation_mode. Accepts `sso.idm` = "" and the legacy `webhook` (singular) group.
Result<Marketplace> marketplace_from_json(const nlohmann::json& object);

// The whole document (`marketplaces` may be an array or a single object). Codes besides the above:
// "config.invalid_json" (not JSON / not an object), "config.platform_error" (body has an "error" key),
// "config.no_marketplaces_key", "config.duplicate_marketplace". An empty array is valid.
Result<std::vector<Marketplace>> marketplaces_from_json(std::string_view body);
Result<std::vector<Marketplace>> marketplaces_from_document(const nlohmann::json& document);

// Dev-platform shape; api.key only when include_secrets (for writing a config file, never for display).
// marketplace_from_json(marketplace_to_json(m, true)) == m.
nlohmann::json marketplace_to_json(const Marketplace& marketplace, bool include_secrets);

}  // namespace mno::config
