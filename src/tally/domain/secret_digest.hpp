// SHA-256 of a secret (API token, session id) as lowercase hex: what the database stores instead
// of the secret, so a leaked table yields nothing usable.
#pragma once
#include <string>
#include <string_view>

namespace tally {

std::string sha256_hex(std::string_view data);

}  // namespace tally
