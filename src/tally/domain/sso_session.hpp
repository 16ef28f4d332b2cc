// The Maestrano session (spec 3.8) as Tally keeps it: inside the server-side web session data (never
// in a cookie), plus the re-check policy applied on every page of an SSO user:
//   * before the recheck time: nothing is asked;
//   * past it: SessionChecker asks GET {api}/auth/saml/{uid}?session=…;
//     valid → the new recheck time is stored;
//     invalid → the local session ends and the user goes back through SSO (single logout);
//     unreachable → the session is kept for sso.recheck_grace (default 300 s) counted from the FIRST
//     failed check (stored as mno_check_failed_since), then SSO is required. During the grace period
//     every page asks again, so the platform coming back ends the grace immediately.
// Plain functions over the session data map, so the policy is testable without HTTP.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "mno/config/marketplace.hpp"
#include "mno/http/http_client.hpp"
#include "mno/sso/identity.hpp"
#include "mno/sso/session_check.hpp"
#include "mno/util/clock.hpp"

namespace tally {

using SessionData = std::map<std::string, std::string>;

// Session data keys.
inline constexpr const char* kMnoMarketplaceKey = "mno_marketplace";
inline constexpr const char* kMnoUidKey = "mno_uid";
inline constexpr const char* kMnoTokenKey = "mno_session";
inline constexpr const char* kMnoRecheckKey = "mno_session_recheck";
inline constexpr const char* kMnoGroupKey = "mno_group_uid";
inline constexpr const char* kMnoCheckFailedKey = "mno_check_failed_since";
// The random per-browser key that binds outstanding AuthnRequests to this browser.
inline constexpr const char* kSamlBindingKey = "saml_binding";

void store_mno_session(SessionData& data, const mno::sso::MnoSession& session);
// nullopt when the session did not come from SSO (no marketplace/uid).
std::optional<mno::sso::MnoSession> load_mno_session(const SessionData& data);
void clear_mno_session(SessionData& data);

struct RecheckResult {
  mno::sso::SessionDecision decision = mno::sso::SessionDecision::keep;
  bool data_changed = false;  // the session data must be saved
  std::string reason;         // the checker's reason code ("" when nothing was asked or valid)
};

// Applies the policy above to an SSO session. marketplace nullptr (no longer configured) →
// reauthenticate. http nullptr counts as an unreachable platform.
RecheckResult recheck_mno_session(SessionData& data, const mno::config::Marketplace* marketplace,
                                  mno::http::HttpClient* http, const mno::Clock& clock);

// Where Tally starts SSO for a marketplace: sso.init_path when it is a local path, else
// /maestrano/auth/saml/init/<name>; with ?group_id=<group_uid> when given.
std::string sso_init_location(const mno::config::Marketplace& marketplace, const std::string& group_uid = "");

}  // namespace tally
