// See demo_seed.hpp. The secrets are fixed strings on purpose: they only open the local sandbox.
#include "sandbox/demo_seed.hpp"

namespace sandbox {

const SeedEnvironment& demo_environment() {
  static const SeedEnvironment env{"tally-demo", "env-tally-demo-key",
                                   "env-tally-demo-secret-0123456789abcdef"};
  return env;
}

const std::vector<SeedMarketplace>& demo_marketplaces() {
  static const std::vector<SeedMarketplace> m = {
      {"maestrano-sandbox", "app-tally-sbx", "5d1c0b0e8b7a4f7e9c2d3a1b6e5f4d3c2b1a09f8e7d6c5b4a3928170605f4e3d"},
      {"partner-market", "app-tally-ptr", "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9"},
  };
  return m;
}

}  // namespace sandbox
