// Server side of HTTP Basic for platform calls (security.md §3): strict parsing, tenant binding, and a
// single failure value so that a caller cannot tell a bad key from a wrong tenant or a malformed header.
#include "mno/webhook/basic_auth.hpp"

#include <cctype>

#include "mno/util/base64.hpp"
#include "mno/util/log.hpp"

namespace mno::webhook {
namespace {

constexpr size_t kMaxHeaderLength = 4096;

Error parse_error(std::string why) { return make_error("webhook.unauthorized", std::move(why)); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

}  // namespace

Result<Credentials> parse_basic_authorization(const std::vector<std::string>& values) {
  if (values.empty()) return parse_error("no Authorization header");
  if (values.size() != 1) return parse_error("more than one Authorization header");
  std::string_view v = values.front();
  if (v.size() > kMaxHeaderLength) return parse_error("Authorization header too long");
  while (!v.empty() && is_ows(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_ows(v.back())) v.remove_suffix(1);

  size_t sp = v.find(' ');
  if (sp == std::string_view::npos) return parse_error("Authorization header has no credentials");
  if (!iequals(v.substr(0, sp), "Basic")) return parse_error("Authorization scheme is not Basic");
  std::string_view token = v.substr(sp);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty()) return parse_error("Basic credentials are empty");
  for (char c : token)
    if (is_ows(c) || c == ',') return parse_error("Basic credentials are not a single token");

  auto decoded = base64_decode(token, /*allow_whitespace=*/false);
  if (!decoded) return parse_error("Basic credentials are not valid base64");
  const std::string& plain = *decoded;
  size_t colon = plain.find(':');
  if (colon == std::string::npos) return parse_error("Basic credentials have no ':'");
  Credentials c{plain.substr(0, colon), plain.substr(colon + 1)};
  if (c.user.empty()) return parse_error("Basic user-id is empty");
  for (char ch : plain)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) return parse_error("Basic credentials contain control characters");
  return c;
}

Result<std::shared_ptr<const config::Marketplace>> authenticate_platform_call(
    const config::Registry& registry, std::string_view path_marketplace,
    const std::vector<std::string>& authorization_values, std::string* debug_reason) {
  auto reject = [&](std::string reason) -> Error {
    // The reason and the (public) path tenant only: never the header, the user-id or the password.
    log::debug("webhook.unauthorized", {{"marketplace", std::string(path_marketplace)}, {"reason", reason}});
    if (debug_reason) *debug_reason = std::move(reason);
    return make_error("webhook.unauthorized", "unauthorized");
  };

  auto creds = parse_basic_authorization(authorization_values);
  if (!creds) return reject(creds.error().message);

  std::string target;
  if (path_marketplace.empty()) {
    auto only = registry.only();
    if (!only) return reject("no marketplace in the path and " + std::to_string(registry.size()) + " configured");
    target = only->name;
  } else {
    target = std::string(path_marketplace);
  }

  // Both lookups always run, so the time taken does not depend on which check fails.
  auto bound = registry.find_with_credentials(target, creds->user, creds->password);
  auto owner = registry.find_by_credentials(creds->user, creds->password);
  if (bound) return bound;
  if (owner) return reject("credentials belong to another marketplace");
  if (!registry.find(target)) return reject("unknown marketplace in the path");
  return reject("bad credentials");
}

std::string www_authenticate_value(std::string_view realm) {
  std::string out = "Basic realm=\"";
  for (char c : realm) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;  // no header injection
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += "\", charset=\"UTF-8\"";
  return out;
}

}  // namespace mno::webhook
