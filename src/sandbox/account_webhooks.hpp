// Account webhooks as the platform sends them (maestrano-platform.md §4): "cancel this app for this
// group" and "remove this user from this group". Each one changes the sandbox's own directory and
// enqueues the DELETE to the app in the SAME transaction (so a webhook is never lost nor sent for a
// change that did not happen), to the marketplace's dev-platform path with the marketplace suffix:
//   DELETE <app_host>/maestrano/account/groups/<group>/<marketplace>
//   DELETE <app_host>/maestrano/account/groups/<group>/users/<user>/<marketplace>
// with HTTP Basic api.id:api.key of that marketplace. Also the control API and admin UI routes for
// these actions and for the delivery log (docs/sandbox.md "Account webhooks", "Outbound deliveries").
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "mno/util/result.hpp"
#include "sandbox/sandbox_state.hpp"
#include "sandbox/webhook_delivery.hpp"
#include "web/router.hpp"

namespace sandbox {

inline constexpr const char* kGroupDeletedKind = "account.group_deleted";
inline constexpr const char* kGroupUserDeletedKind = "account.group_user_deleted";

struct AccountWebhookServices {
  std::shared_ptr<SandboxState> state;
  std::shared_ptr<mno::db::Database> db;  // the state database (directory tables live there)
  std::shared_ptr<DeliveryQueue> deliveries;
  // Hidden field "_csrf" of the admin forms that send webhooks: a per-process random token, so a
  // page on another site cannot make the developer's browser cancel an app.
  std::string admin_csrf_token;
};

// The webhook URLs for a marketplace (app_host + the dev-platform path of SandboxState::describe).
std::string group_webhook_url(const SandboxState& state, const MarketplaceRecord& market, const std::string& group_uid);
std::string group_user_webhook_url(const SandboxState& state, const MarketplaceRecord& market, const std::string& group_uid,
                                   const std::string& user_uid);

// Removes the group (and its memberships) from the directory, its bills stay; enqueues the group
// DELETE. Returns the delivery id. Errors: "directory.unknown_group", db errors.
mno::Result<int64_t> cancel_app_for_group(const AccountWebhookServices& s, const std::string& group_uid);
// Removes the membership; enqueues the group-user DELETE. Errors: "directory.unknown_membership".
mno::Result<int64_t> remove_user_from_group(const AccountWebhookServices& s, const std::string& group_uid,
                                            const std::string& user_uid);

// POST /control/v1/groups/{group}/cancel, POST /control/v1/groups/{group}/users/{user}/remove,
// GET /control/v1/deliveries[?kind=&limit=], GET /control/v1/deliveries/{id},
// POST /control/v1/deliveries/run, DELETE /control/v1/deliveries.
// (The admin UI's buttons and delivery log page are in admin_ui.cpp.)
void add_account_webhook_control_routes(web::Router& router, AccountWebhookServices services);

// A delivery as the control API renders it (also used by the Connec! notifier's control routes).
nlohmann::json delivery_to_json(const DeliveryRecord& d);

}  // namespace sandbox
