// Where Tally's marketplaces come from at startup: a JSON file (--marketplaces) or the developer
// platform (MNO_DEVPL_* variables), with a periodic refresh from the latter. A missing setting,
// an unreachable platform or a bad file is a startup error whose message names the cause.
#pragma once
#include <memory>

#include "mno/config/refresher.hpp"
#include "mno/config/registry.hpp"
#include "mno/http/http_client.hpp"
#include "tally/app/settings.hpp"

namespace tally {

struct MarketplaceSource {
  std::string description;                        // "file data/markets.json" or "developer platform http://…"
  std::unique_ptr<mno::config::Refresher> refresher;  // set when the source can be refreshed
};

using GetEnv = std::function<std::optional<std::string>(const char*)>;

mno::Result<MarketplaceSource> load_marketplaces(const Settings& settings, mno::config::Registry& registry,
                                                 mno::http::HttpClient& http, const GetEnv& getenv);

}  // namespace tally
