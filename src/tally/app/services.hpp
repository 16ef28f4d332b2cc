// Everything a request handler may use, built once per process: the database, injected clock and
// randomness, the change sink, every domain service and the session manager. Handlers get a
// Services& and never construct services themselves, so there is one place per entity.
#pragma once
#include <memory>

#include "mno/config/registry.hpp"
#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "tally/domain/account_service.hpp"
#include "tally/domain/api_token_service.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/company_service.hpp"
#include "tally/domain/contact.hpp"
#include "tally/domain/customer.hpp"
#include "tally/domain/dashboard.hpp"
#include "tally/domain/invoice.hpp"
#include "tally/domain/password_hasher.hpp"
#include "tally/domain/product.hpp"
#include "tally/store/db_session_store.hpp"
#include "web/session.hpp"

namespace tally {

struct Services {
  Services(std::shared_ptr<mno::db::Database> db, const mno::Clock& clock, mno::Random& random,
           std::shared_ptr<ChangeSink> sink, PasswordHashLimits hash_limits, std::string session_key,
           const mno::config::Registry& registry, web::SessionOptions session_options = {});

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
};

}  // namespace tally
