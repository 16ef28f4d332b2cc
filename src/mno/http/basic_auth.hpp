// Client side of HTTP Basic (RFC 7617): the Authorization value for outbound platform calls.
#pragma once
#include <string>
#include <string_view>

namespace mno::http {

// "Basic base64(user:password)".
std::string basic_auth_header_value(std::string_view user, std::string_view password);

}  // namespace mno::http
