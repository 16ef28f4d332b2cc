// See services.hpp.
#include "tally/app/services.hpp"

#include "tally/sync/import_job.hpp"

namespace tally {

Services::Services(std::shared_ptr<mno::db::Database> db_, const mno::Clock& clock_, mno::Random& random_,
                   std::shared_ptr<ChangeSink> sink_, PasswordHashLimits hash_limits, std::string session_key,
                   const mno::config::Registry& registry_, web::SessionOptions session_options,
                   std::shared_ptr<mno::http::HttpClient> http_)
    : db(std::move(db_)),
      clock(clock_),
      random(random_),
      sink(std::move(sink_)),
      registry(registry_),
      hasher(hash_limits),
      companies(*db, clock, *sink),
      accounts(*db, clock, *sink, hasher),
      tokens(*db, clock, random),
      customers(*db, clock, *sink),
      contacts(*db, clock, *sink),
      products(*db, clock, *sink),
      invoices(*db, clock, *sink),
      dashboard(*db, clock),
      session_store(std::make_shared<DbSessionStore>(*db, clock)),
      sessions(session_store, std::move(session_key), clock, random, std::move(session_options)),
      http(std::move(http_)),
      saml_requests(std::make_shared<mno::saml::DbRequestStore>(db)),
      saml_replays(std::make_shared<mno::saml::DbReplayCache>(db)),
      sso_validators(clock, saml_replays),
      sso_provisioning(*db, clock, companies),
      acs_rate_limit(*db, clock),
      billing(*db, clock, random, companies) {
  on_company_created = [this](const SsoProvisioned& p) {
    if (billing.start(p.company.id)) nudge_worker(kBillingLedgerJob);
  };
  sync::hook_initial_import(*this);  // chained after billing: a new company also starts its Connec! import
}

}  // namespace tally
