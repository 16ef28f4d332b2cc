// Strict base64 (RFC 4648 §4) for SAML messages and HTTP Basic credentials. Decoding refuses
// anything non-canonical (bad characters, bad padding, non-zero trailing bits) instead of guessing.
#pragma once
#include <string>
#include <string_view>
#include "mno/util/result.hpp"

namespace mno {

std::string base64_encode(std::string_view bytes);
// allow_whitespace: SAML POST bodies may wrap lines (CR/LF/space/tab are skipped); Basic auth may not.
Result<std::string> base64_decode(std::string_view text, bool allow_whitespace = false);

}  // namespace mno
