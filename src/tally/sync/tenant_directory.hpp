// Where a Tally company's shared data goes (mno::sync::TenantDirectory for Tally). A sync tenant is a company:
// its key is the company id in decimal ("42"). A company shares data when it was provisioned by a marketplace
// (companies.marketplace + companies.external_uid = the group id from SSO) and that marketplace is configured
// with Connec! enabled. The target is the Connec! client of the company's marketplace (host from the registry,
// api.id/api.key), shared by all companies of that marketplace (one client per marketplace, rebuilt when the
// registry is refreshed), the group id, and Tally's identity in id arrays {provider, realm = the tenant key},
// so two companies with the same local ids stay apart in Connec!.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "mno/config/registry.hpp"
#include "mno/connec/client.hpp"
#include "mno/connec/ids.hpp"
#include "mno/db/database.hpp"
#include "mno/http/http_client.hpp"
#include "mno/sync/adapter.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace tally::sync {

// Tally's provider name in Connec! id arrays.
inline constexpr std::string_view kTallyProvider = "tally";

// "42" <-> 42. parse_tenant_key: nullopt for anything but a positive decimal id.
std::string tenant_key(int64_t company_id);
std::optional<int64_t> parse_tenant_key(std::string_view tenant);

// Tally's identity in the id arrays of one company's records.
mno::connec::AppIdentity app_identity(int64_t company_id);

// A company linked to a marketplace group.
struct CompanyLink {
  int64_t company_id = 0;
  std::string marketplace;
  std::string group_id;
};

// Inside the caller's transaction. nullopt when the company does not exist or has no marketplace group.
mno::Result<std::optional<CompanyLink>> find_company_link(mno::db::Connection& c, int64_t company_id);
// The company of a marketplace group, nullopt when none.
mno::Result<std::optional<int64_t>> find_company_of_group(mno::db::Connection& c, std::string_view marketplace,
                                                          std::string_view group_id);

class TallyTenantDirectory final : public mno::sync::TenantDirectory {
 public:
  // http must outlive the directory's clients; clock is used by the clients for Retry-After dates.
  TallyTenantDirectory(std::shared_ptr<mno::db::Database> db, const mno::config::Registry& registry,
                       std::shared_ptr<mno::http::HttpClient> http, const mno::Clock& clock);

  // sync.unknown_tenant when the key is not a company, the company has no group, or its marketplace is not
  // configured / has Connec! disabled (outbox rows then wait and are retried, as the engine expects).
  mno::Result<mno::sync::TenantTarget> target(std::string_view tenant) override;

  // The shared client of a marketplace (created on first use). sync.unknown_tenant when the marketplace is not
  // configured or has Connec! disabled.
  mno::Result<std::shared_ptr<mno::connec::Client>> client_for(std::string_view marketplace);

 private:
  struct CachedClient {
    uint64_t generation = 0;
    std::shared_ptr<mno::connec::Client> client;
  };

  std::shared_ptr<mno::db::Database> db_;
  const mno::config::Registry& registry_;
  std::shared_ptr<mno::http::HttpClient> http_;
  const mno::Clock& clock_;
  std::mutex mu_;
  std::map<std::string, CachedClient, std::less<>> clients_;
};

}  // namespace tally::sync
