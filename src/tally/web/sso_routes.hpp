// Single sign-on routes (spec 3.1): GET /maestrano/auth/saml/init[/{marketplace}] builds the
// AuthnRequest and redirects to the IdP; POST /maestrano/auth/saml/consume[/{marketplace}] is the ACS.
// The un-suffixed pair answers only when exactly one marketplace is configured. The ACS is CSRF-exempt
// by design (the POST comes from the IdP): InResponseTo bound to this browser's binding key is what
// stops login CSRF. Sessions, security headers and friendly error pages are kept.
#pragma once
#include "tally/app/services.hpp"
#include "web/router.hpp"

namespace tally {

void add_sso_routes(web::Router& router, Services& services);

// Signed-cookie name carrying the SAML binding key across the IdP's cross-site POST (the session
// cookie is SameSite=Lax and is not sent on it in production).
inline constexpr const char* kSamlBindingCookie = "tally_sso_binding";

}  // namespace tally
