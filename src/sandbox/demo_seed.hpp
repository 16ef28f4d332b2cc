// The sandbox's deterministic demo seed: one developer-platform environment and two marketplaces
// configured for Tally. Documented in docs/sandbox.md; tests and `make demo` rely on these values.
#pragma once
#include <string>
#include <vector>

namespace sandbox {

struct SeedEnvironment {
  std::string name;
  std::string api_key;
  std::string api_secret;
};

struct SeedMarketplace {
  std::string name;    // preset key, e.g. "maestrano-sandbox"
  std::string app_id;  // app-… (HTTP Basic user in both directions, SAML Issuer)
  std::string api_key;
};

const SeedEnvironment& demo_environment();
const std::vector<SeedMarketplace>& demo_marketplaces();

}  // namespace sandbox
