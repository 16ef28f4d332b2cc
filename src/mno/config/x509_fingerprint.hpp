// SHA-1 fingerprints of PEM certificates, in the colon-separated hex form the Maestrano configuration
// uses ("01:06:15:..."). Used to check that a configured certificate and fingerprint agree.
#pragma once
#include <string>
#include <string_view>

#include "mno/util/result.hpp"

namespace mno::config {

// Lower-case "aa:bb:..." (20 bytes) of the DER certificate; "config.invalid_certificate" if not PEM X.509.
Result<std::string> pem_sha1_fingerprint(std::string_view pem);
// True for exactly 20 colon-separated two-digit hex bytes (either case).
bool is_sha1_fingerprint(std::string_view text);
// Compares two fingerprints ignoring hex case.
bool fingerprints_equal(std::string_view a, std::string_view b);

}  // namespace mno::config
