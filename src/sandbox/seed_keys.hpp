// Deterministic IdP key pairs for the sandbox's demo marketplaces (see seed_keys.cpp).
#pragma once
#include <string>
#include <vector>

namespace sandbox {

struct SeedKey {
  std::string marketplace;
  std::string sha1_fingerprint;  // colon-separated lower-case hex, as the platform sends it
  std::string certificate_pem;
  std::string private_key_pem;
};

const std::vector<SeedKey>& seed_keys();

}  // namespace sandbox
