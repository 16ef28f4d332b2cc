// HTTP Basic credentials for outbound calls (RFC 7617).
#include "mno/http/basic_auth.hpp"

#include "mno/util/base64.hpp"

namespace mno::http {

std::string basic_auth_header_value(std::string_view user, std::string_view password) {
  std::string plain;
  plain.reserve(user.size() + 1 + password.size());
  plain.append(user).append(":").append(password);
  return "Basic " + base64_encode(plain);
}

}  // namespace mno::http
