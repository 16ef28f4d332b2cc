// Everything a request handler may use, built once per process: the database, injected clock and
// randomness, the change sink, every domain service and the session manager. Handlers get a
// Services& and never construct services themselves, so there is one place per entity.
#pragma once
#include <functional>
#include <memory>

#include "mno/config/registry.hpp"
#include "mno/db/database.hpp"
#include "mno/http/http_client.hpp"
#include "mno/saml/replay_cache.hpp"
#include "mno/saml/request_store.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "tally/domain/account_service.hpp"
#include "tally/domain/acs_rate_limit.hpp"
#include "tally/domain/api_token_service.hpp"
#include "tally/domain/billing_service.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/company_service.hpp"
#include "tally/domain/contact.hpp"
#include "tally/domain/customer.hpp"
#include "tally/domain/dashboard.hpp"
#include "tally/domain/invoice.hpp"
#include "tally/domain/password_hasher.hpp"
#include "tally/domain/product.hpp"
#include "tally/domain/sso_provisioning.hpp"
#include "tally/domain/sso_validators.hpp"
#include "tally/store/db_session_store.hpp"
#include "web/session.hpp"

namespace tally::sync {
struct SyncContext;
}  // namespace tally::sync

namespace tally {

struct Services {
  Services(std::shared_ptr<mno::db::Database> db, const mno::Clock& clock, mno::Random& random,
           std::shared_ptr<ChangeSink> sink, PasswordHashLimits hash_limits, std::string session_key,
           const mno::config::Registry& registry, web::SessionOptions session_options = {},
           std::shared_ptr<mno::http::HttpClient> http = nullptr);

  std::shared_ptr<mno::db::Database> db;
  const mno::Clock& clock;
  mno::Random& random;
  std::shared_ptr<ChangeSink> sink;
  const mno::config::Registry& registry;
  PasswordHasher hasher;
  CompanyService companies;
  AccountService accounts;
  ApiTokenService tokens;
  CustomerService customers;
  ContactService contacts;
  ProductService products;
  InvoiceService invoices;
  Dashboard dashboard;
  std::shared_ptr<DbSessionStore> session_store;
  web::SessionManager sessions;

  // Single sign-on. http: outbound calls to the platform (Maestrano session re-checks); TallyApp
  // passes its CurlHttpClient, tests a FakeHttpClient; nullptr means "platform unreachable".
  std::shared_ptr<mno::http::HttpClient> http;
  std::shared_ptr<mno::saml::DbRequestStore> saml_requests;
  std::shared_ptr<mno::saml::DbReplayCache> saml_replays;
  SsoValidators sso_validators;
  SsoProvisioning sso_provisioning;
  AcsRateLimit acs_rate_limit;  // rejected consumes per client IP (security.md 1.4 step 1)
  // Platform billing (plans, trial, ledger, account webhooks, retention); configured by register_jobs.
  BillingService billing;
  // Called after a successful SSO created a company (first SSO of a group), outside the transaction.
  // Starts billing (set in the constructor; wrap it rather than replace it to add the Connec! import).
  std::function<void(const SsoProvisioned&)> on_company_created = [](const SsoProvisioned&) {};
  // Wakes the named background job (empty: all) after a handler wrote work for it. TallyApp points it
  // at its JobRunner; elsewhere (tests without a runner, `tally worker`) it does nothing.
  std::function<void(const std::string& job)> nudge_worker = [](const std::string&) {};
  // Data sharing with Connec! (tenant directory, adapters, outbox sink): set by TallyApp::create; null where
  // Services is built alone (then changes go to the NullChangeSink and nothing is shared).
  std::shared_ptr<sync::SyncContext> sync;
};

}  // namespace tally
