// Local-path allow-list for post-login redirects; see redirect.hpp.
#include "mno/sso/redirect.hpp"

namespace mno::sso {

std::string safe_redirect_path(std::string_view requested, std::string_view default_path) {
  if (requested.empty() || requested.front() != '/' || requested.size() > 2048) return std::string(default_path);
  if (requested.size() > 1 && (requested[1] == '/' || requested[1] == '\\')) return std::string(default_path);
  for (char c : requested) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7E || c == '\\') return std::string(default_path);
  }
  return std::string(requested);
}

}  // namespace mno::sso
