// Percent-encoding for SAML redirect URLs and the session-check URL (RFC 3986 unreserved characters
// are kept, everything else is %XX), and query-string splitting for the IdP side. libmno has no URL
// library below web/, and these few functions are all the SAML and SSO modules need.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "mno/util/result.hpp"

namespace mno::saml {

std::string url_encode(std::string_view s);
// Decodes %XX and, when plus_is_space, '+' as a space (form/query encoding). Error: saml.bad_request on a bad escape.
Result<std::string> url_decode(std::string_view s, bool plus_is_space = true);
// "a=1&b=x%20y" → {{"a","1"},{"b","x y"}}; a leading '?' is ignored; empty pieces are skipped.
Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

}  // namespace mno::saml
