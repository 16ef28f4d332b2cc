// The sandbox as a Maestrano IdP (spec 3.1-3.3, 3.8, 3.9): GET /api/v1/auth/saml (user picker,
// group picker, 403 access denied, auto-submitting POST form), POST /api/v1/auth/saml (the picker's
// "sign in as"), the session check GET /api/v1/auth/saml/{uid}?session=…, /app_logout,
// /app_access_unauthorized and /static/autosubmit.js.
#pragma once
#include <memory>

#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "sandbox/directory.hpp"
#include "sandbox/idp_options.hpp"
#include "sandbox/request_log.hpp"
#include "sandbox/sandbox_state.hpp"
#include "web/router.hpp"

namespace sandbox {

// The name of the IdP login cookie (a browser's signed-in user at the IdP).
inline constexpr const char* kIdpLoginCookie = "mno_idp_login";

struct IdpServices {
  std::shared_ptr<SandboxState> state;
  std::shared_ptr<Directory> directory;
  std::shared_ptr<IdpOptionsStore> options;
  std::shared_ptr<RequestLog> log;
  const mno::Clock* clock = &mno::SystemClock::instance();
  mno::Random* random = &mno::SecureRandom::instance();
  // --allow-test-login: GET /api/v1/auth/saml?...&as_user=usr-… signs in without the picker.
  bool allow_test_login = false;
};

void add_idp_routes(web::Router& router, const IdpServices& services);

}  // namespace sandbox
