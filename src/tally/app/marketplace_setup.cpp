// See marketplace_setup.hpp.
#include "tally/app/marketplace_setup.hpp"

#include "mno/config/config_file.hpp"
#include "mno/config/dev_platform.hpp"
#include "mno/util/log.hpp"

namespace tally {

mno::Result<MarketplaceSource> load_marketplaces(const Settings& settings, mno::config::Registry& registry,
                                                 mno::http::HttpClient& http, const GetEnv& getenv) {
  MarketplaceSource source;
  if (!settings.marketplaces_file.empty()) {
    auto list = mno::config::load_marketplaces_file(settings.marketplaces_file);
    if (!list) return list.error();
    registry.replace(std::move(*list));
    source.description = "file " + settings.marketplaces_file;
  } else {
    if (auto host = getenv("MNO_DEVPL_HOST"); !host || host->empty())
      return mno::make_error("config.no_source",
                             "no marketplace configuration: pass --marketplaces FILE, or set MNO_DEVPL_HOST, "
                             "MNO_DEVPL_ENV_KEY and MNO_DEVPL_ENV_SECRET to load them from the developer platform");
    auto devpl = mno::config::dev_platform_from_env(getenv);
    if (!devpl) return devpl.error();
    source.description = "developer platform " + devpl->url();
    source.refresher = std::make_unique<mno::config::Refresher>(registry, http, *devpl);
    if (auto s = source.refresher->refresh_now(); !s) return s.error();
    if (settings.devpl_refresh_seconds > 0)
      source.refresher->start(std::chrono::seconds(settings.devpl_refresh_seconds));
  }
  if (registry.size() == 0)
    return mno::make_error("config.empty", "the marketplace configuration (" + source.description + ") lists no marketplace");
  std::string names;
  for (const auto& n : registry.names()) names += (names.empty() ? "" : ",") + n;
  mno::log::info("tally.marketplaces_loaded", {{"source", source.description}, {"marketplaces", names}});
  return source;
}

}  // namespace tally
