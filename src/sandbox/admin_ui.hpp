// The sandbox's admin page at "/": shows the seeded environment and marketplaces with their
// credentials, so a developer can wire an app by hand; with the IdP services also the directory
// (users, groups, memberships), "launch the app as this user in this group", session regeneration,
// and small forms to add users, groups and memberships; with the account webhooks also "cancel the
// app for this group" / "remove this member" buttons (CSRF-protected) and the delivery log page.
#pragma once
#include <memory>

#include "sandbox/account_webhooks.hpp"
#include "sandbox/idp_routes.hpp"
#include "sandbox/sandbox_state.hpp"
#include "web/router.hpp"

namespace sandbox {

void add_admin_routes(web::Router& router, std::shared_ptr<SandboxState> state, const IdpServices* idp = nullptr,
                      const AccountWebhookServices* webhooks = nullptr);

}  // namespace sandbox
