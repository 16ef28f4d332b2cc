// SP side: the AuthnRequest of the HTTP-Redirect binding as the Maestrano SDKs send it (spec 3.2),
// and IdP side: a tolerant parser for every SDK variant of it (used by mno-sandbox and tests).
// The request is unsigned; its ID must be remembered server-side (RequestStore) for InResponseTo.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "mno/config/marketplace.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace mno::saml {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// sso.idp + "/api/v1/auth/saml" (the Java/.NET convention; the sandbox serves it there).
std::string idp_sso_url(const config::Marketplace& m);
// idm() + sso.consume_path: the ACS URL, also the Destination/Recipient the validator demands.
std::string acs_url(const config::Marketplace& m);

struct AuthnRequest {
  std::string id;            // "_" + 32 hex chars from the injected Random
  TimePoint issue_instant;   // from the injected Clock, second precision
  std::string xml;           // the XML before deflate
  std::string saml_request;  // base64(raw deflate(xml)), not URL-escaped
  std::string redirect_url;  // idp_sso_url?SAMLRequest=<escaped>&k=v... (302 Location)
};

// forward: query parameters of the init request to append after SAMLRequest (e.g. group_id), in order;
// a parameter named SAMLRequest is dropped. Error: saml.config when idp, api.id or the ACS URL is empty.
Result<AuthnRequest> build_authn_request(const config::Marketplace& m, const Clock& clock, Random& random,
                                         const QueryParams& forward = {});

// Raw DEFLATE (RFC 1951, zlib windowBits -15, level 9) and its inverse with an output cap (deflate bombs).
std::string deflate_raw(std::string_view data);
Result<std::string> inflate_raw(std::string_view data, size_t max_output);

struct ParsedAuthnRequest {
  std::string id;
  std::string acs_url;        // AssertionConsumerServiceURL
  std::string issuer;         // Issuer text = the app's api.id
  std::string destination;    // "" when absent (Java, .NET, PHP)
  std::string issue_instant;  // as sent (Java sends local time with an offset; not interpreted)
  QueryParams extra_params;   // every other query parameter, in order (group_id, user_uid, ...)
};

// IdP side. query: the raw query string of GET /api/v1/auth/saml (with or without '?'). Accepts any
// namespace prefix, single or double quotes, whitespace/newlines inside the base64, deflated or plain
// XML; refuses DTDs. Error: saml.bad_request (message says what is wrong), saml.dtd, saml.too_large.
Result<ParsedAuthnRequest> parse_authn_request(std::string_view query);
// Same, from the already URL-decoded SAMLRequest value.
Result<ParsedAuthnRequest> parse_saml_request_value(std::string_view saml_request);

}  // namespace mno::saml
