// The platform's Account API as the sandbox serves it (spec 5): /api/v1/account/{bills,
// recurring_bills,groups,users}[/:id] for every marketplace the sandbox knows, HTTP Basic
// api.id:api.key (constant time), the {success, errors, data} envelope, field errors, listing
// filters, JSON and form bodies, the ref sandbox's status codes; plus the control API's account
// section (a group's bills, invoicing, fault injection: docs/sandbox.md "Account API").
#pragma once
#include <chrono>
#include <functional>
#include <memory>

#include "mno/db/database.hpp"
#include "sandbox/account_store.hpp"
#include "sandbox/directory.hpp"
#include "sandbox/fault_injection.hpp"
#include "sandbox/sandbox_state.hpp"
#include "web/router.hpp"

namespace sandbox {

struct AccountServices {
  std::shared_ptr<SandboxState> state;
  std::shared_ptr<Directory> directory;
  std::shared_ptr<AccountStore> store;
  std::shared_ptr<FaultInjector> faults;
  std::function<void(std::chrono::milliseconds)> sleep;  // injected fault latency/hangs
};

void add_account_api_routes(web::Router& router, AccountServices services);
void add_account_control_routes(web::Router& router, AccountServices services);

// The one-line registration main.cpp uses: builds the store and injector on `db` with the system
// clock and randomness, then adds both route sets.
void add_account_routes(web::Router& router, std::shared_ptr<SandboxState> state, std::shared_ptr<Directory> directory,
                        std::shared_ptr<mno::db::Database> db);

}  // namespace sandbox
