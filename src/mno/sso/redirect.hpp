// Post-login redirect target from an untrusted RelayState/return parameter (S28): only a local
// absolute path is followed; anything that could leave the site falls back to the default path.
#pragma once
#include <string>
#include <string_view>

namespace mno::sso {

// Accepts "/path[?query]" made of printable ASCII without '\\', not starting with "//" or "/\\";
// everything else (absolute URLs, scheme-relative, backslashes, control characters) → default_path.
std::string safe_redirect_path(std::string_view requested, std::string_view default_path = "/");

}  // namespace mno::sso
