// Authentication of calls from the Maestrano platform (account webhooks, Connec! notifications,
// metadata) by HTTP Basic = api.id : api.key, hardened per security.md §3: strict RFC 7617 parsing,
// constant-time credential lookup across all marketplaces, tenant binding, one indistinguishable failure.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mno/config/marketplace.hpp"
#include "mno/config/registry.hpp"
#include "mno/util/result.hpp"

namespace mno::webhook {

struct Credentials {
  std::string user;
  std::string password;  // secret: never log
};

// Every value of the request's Authorization header(s). Exactly one value, scheme "Basic" (any case),
// exactly one token, strict base64, split at the FIRST ':' (the password may contain ':').
// Every failure: code "webhook.unauthorized"; the message says why (for debug logs only).
Result<Credentials> parse_basic_authorization(const std::vector<std::string>& authorization_header_values);

// Credentials select the marketplace (constant time); `path_marketplace` (the tenant segment of the
// URL; empty = the only configured marketplace) must be that marketplace. Every failure returns the
// same Error {"webhook.unauthorized", "unauthorized"}; the reason goes to a debug log line and, when
// `debug_reason` is given, there (for tests; never send it to the client).
Result<std::shared_ptr<const config::Marketplace>> authenticate_platform_call(
    const config::Registry& registry, std::string_view path_marketplace,
    const std::vector<std::string>& authorization_values, std::string* debug_reason = nullptr);

// `Basic realm="<realm>", charset="UTF-8"` for the 401's WWW-Authenticate header (quotes escaped).
std::string www_authenticate_value(std::string_view realm);

}  // namespace mno::webhook
