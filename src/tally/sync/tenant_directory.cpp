// See tenant_directory.hpp. The company row is read on every target() call (cheap, and a group removed or a
// company cancelled takes effect at once); only the Connec! clients are cached.
#include "tally/sync/tenant_directory.hpp"

#include <charconv>

#include "tally/store/company_store.hpp"

namespace tally::sync {
namespace {

mno::Error unknown_tenant(std::string_view tenant, std::string_view why) {
  return mno::make_error("sync.unknown_tenant", "tenant " + std::string(tenant) + " does not share data: " + std::string(why));
}

}  // namespace

std::string tenant_key(int64_t company_id) { return std::to_string(company_id); }

std::optional<int64_t> parse_tenant_key(std::string_view tenant) {
  int64_t v = 0;
  if (tenant.empty() || tenant.size() > 18 || tenant[0] == '0') return std::nullopt;
  auto [p, ec] = std::from_chars(tenant.data(), tenant.data() + tenant.size(), v);
  if (ec != std::errc() || p != tenant.data() + tenant.size() || v <= 0) return std::nullopt;
  return v;
}

mno::connec::AppIdentity app_identity(int64_t company_id) {
  return {std::string(kTallyProvider), tenant_key(company_id)};
}

mno::Result<std::optional<CompanyLink>> find_company_link(mno::db::Connection& c, int64_t company_id) {
  auto company = store::find_company(c, company_id);
  if (!company) return company.error();
  if (!*company) return std::optional<CompanyLink>{};
  const Company& co = **company;
  // A cancelled company left the marketplace: its group is gone (a re-added app gets a new group).
  if (!co.marketplace || !co.external_uid || co.marketplace->empty() || co.external_uid->empty() ||
      co.status == CompanyStatus::cancelled)
    return std::optional<CompanyLink>{};
  return std::optional<CompanyLink>(CompanyLink{co.id, *co.marketplace, *co.external_uid});
}

mno::Result<std::optional<int64_t>> find_company_of_group(mno::db::Connection& c, std::string_view marketplace,
                                                          std::string_view group_id) {
  auto company = store::find_company_by_external_uid(c, std::string(marketplace), std::string(group_id));
  if (!company) return company.error();
  if (!*company || (*company)->status == CompanyStatus::cancelled) return std::optional<int64_t>{};
  return std::optional<int64_t>((*company)->id);
}

TallyTenantDirectory::TallyTenantDirectory(std::shared_ptr<mno::db::Database> db, const mno::config::Registry& registry,
                                           std::shared_ptr<mno::http::HttpClient> http, const mno::Clock& clock)
    : db_(std::move(db)), registry_(registry), http_(std::move(http)), clock_(clock) {}

mno::Result<std::shared_ptr<mno::connec::Client>> TallyTenantDirectory::client_for(std::string_view marketplace) {
  auto m = registry_.find(marketplace);
  if (!m) return unknown_tenant(marketplace, "marketplace not configured");
  if (!m->connec.enabled || m->connec.host.empty()) return unknown_tenant(marketplace, "Connec! disabled");
  if (!http_) return unknown_tenant(marketplace, "no HTTP client");
  const uint64_t generation = registry_.generation();
  std::lock_guard lock(mu_);
  auto it = clients_.find(marketplace);
  if (it != clients_.end() && it->second.generation == generation) return it->second.client;
  auto options = mno::connec::client_options(*m);
  options.clock = &clock_;
  auto client = std::make_shared<mno::connec::Client>(*http_, std::move(options));
  clients_[std::string(marketplace)] = {generation, client};
  return client;
}

mno::Result<mno::sync::TenantTarget> TallyTenantDirectory::target(std::string_view tenant) {
  auto company_id = parse_tenant_key(tenant);
  if (!company_id) return unknown_tenant(tenant, "not a company id");
  auto link = db_->transact(
      [&](mno::db::Connection& c) { return find_company_link(c, *company_id); }, mno::db::TxKind::read);
  if (!link) return link.error();
  if (!*link) return unknown_tenant(tenant, "no marketplace group");
  auto client = client_for((*link)->marketplace);
  if (!client) return client.error();
  return mno::sync::TenantTarget{*client, (*link)->group_id, app_identity(*company_id)};
}

}  // namespace tally::sync
