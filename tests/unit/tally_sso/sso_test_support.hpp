// Shared fixture of the Tally SSO tests: the app harness with one marketplace whose IdP key is the
// sandbox seed key, a FakeHttpClient as the platform's session-check endpoint, and helpers that play
// the IdP (start SSO in a Browser, sign a response for the request it issued, post it to the ACS).
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mno/config/marketplace.hpp"
#include "mno/http/fake_http_client.hpp"
#include "mno/saml/response_builder.hpp"
#include "support/app/app_harness.hpp"
#include "support/test_database.hpp"

namespace ssotest {

inline constexpr const char* kMarket = "maestrano-sandbox";

// What the IdP says about the user (spec 3.4 attributes).
struct IdpUser {
  std::string uid = "usr-1";
  std::string email = "ann@example.com";
  std::string name = "Ann";
  std::string surname = "Lee";
  std::string group_uid = "cld-1";
  std::string group_name = "Lee Trading";
  std::string role = "Admin";
  std::string currency = "AUD";
  std::string timezone = "Australia/Sydney";
  std::string country = "AU";
  std::string token = "tok-1";
  std::chrono::seconds recheck_in{180};
  std::chrono::seconds trial_left{30 * 24 * 3600};
};

mno::config::Marketplace sandbox_marketplace(const std::string& app_url);

class SsoTest : public testenv::DatabaseTest {
 protected:
  void SetUp() override;

  // GET the init route in this browser; the AuthnRequest ID it issued ("" on failure, test failed).
  std::string start_sso(testenv::Browser& b, const std::string& query = "?group_id=cld-1");
  // assertion_id "" = a fresh random one.
  mno::saml::BuiltResponse idp_response(const std::string& request_id, const IdpUser& u, const std::string& assertion_id = "");
  mno::http::Response post_response(testenv::Browser& b, const std::string& saml_response,
                                    const std::string& path = std::string("/maestrano/auth/saml/consume/") + kMarket);
  // The whole flow: init, IdP response, consume. Returns the consume response.
  mno::http::Response sso_login(testenv::Browser& b, const IdpUser& u);

  int64_t count(const std::string& table);
  std::string session_check_url(const IdpUser& u) const;

  std::unique_ptr<testenv::AppHarness> app;
  std::shared_ptr<mno::http::FakeHttpClient> platform;
  mno::config::Marketplace market;
};

}  // namespace ssotest
