// Constant-time equality for secrets (API keys, tokens, signatures). Both sides are hashed
// with SHA-256 first so that neither the content nor the length leaks through timing.
#pragma once
#include <string_view>

namespace mno {

bool secure_equals(std::string_view a, std::string_view b);

}  // namespace mno
