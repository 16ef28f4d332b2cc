// The sandbox's persistent state (SQLite through mno::db): the developer-platform environment and
// the marketplaces it serves to apps, and (migrations 2-3) the directory and IdP options of
// directory.hpp / idp_options.hpp. Later issues add bills and Connec! data here.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mno/config/marketplace.hpp"
#include "mno/db/database.hpp"
#include "mno/util/result.hpp"

namespace sandbox {

struct EnvironmentRecord {
  std::string name;
  std::string api_key;
  std::string api_secret;
};

struct MarketplaceRecord {
  std::string name;
  std::string app_id;
  std::string api_key;
  std::string app_host;  // where the partner app (Tally) runs
  std::string idp_certificate_pem;
  std::string idp_private_key_pem;
  std::string idp_fingerprint;
  bool legacy_sha1 = false;
};

class SandboxState {
 public:
  // public_url: how apps reach the sandbox (api.host, sso.idp, connec.host point here).
  SandboxState(std::shared_ptr<mno::db::Database> db, std::string public_url);

  // Applies migrations and, on an empty database, the deterministic demo seed with app_host.
  mno::Status initialise(const std::string& default_app_host);
  // Drops every marketplace and environment and writes the demo seed again.
  mno::Status reset(const std::string& app_host);

  mno::Result<EnvironmentRecord> environment() const;
  mno::Result<std::vector<MarketplaceRecord>> marketplaces() const;
  mno::Result<std::optional<MarketplaceRecord>> marketplace(const std::string& name) const;
  mno::Status set_app_host(const std::string& marketplace, const std::string& app_host);
  // The marketplace whose app has these API credentials (api.id, api.key), for the APIs apps call with
  // HTTP Basic. Every marketplace is compared (no early exit), both parts in constant time.
  std::optional<MarketplaceRecord> marketplace_of_app(const std::string& api_id, const std::string& api_key) const;

  // The marketplace as the developer platform describes it to the app (spec §1.4).
  mno::config::Marketplace describe(const MarketplaceRecord& m) const;
  const std::string& public_url() const { return public_url_; }

 private:
  mno::Status seed(mno::db::Connection& c, const std::string& app_host);
  std::shared_ptr<mno::db::Database> db_;
  std::string public_url_;
};

}  // namespace sandbox
