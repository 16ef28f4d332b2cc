// Builds the signed SAML Response the sandbox IdP posts to the app: the spec 3.4 attributes of one
// user in one group, Issuer = idp_sso_url, Audience = api.id, Destination/Recipient = the ACS URL of
// the AuthnRequest, InResponseTo = its ID, signed with the marketplace's IdP key, and bent by the
// marketplace's IdpOptions (algorithm, Response signature, clock offset, broken modes).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "mno/saml/authn_request.hpp"
#include "mno/saml/response_builder.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"
#include "sandbox/directory.hpp"
#include "sandbox/idp_options.hpp"
#include "sandbox/sandbox_state.hpp"

namespace sandbox {

// The virtual email domain of the ref sandbox (spec 3.4).
inline constexpr const char* kVirtualEmailDomain = "mno-api-sandbox-mail.maestrano.com";

// mno_uid first, then uid, virtual_uid, email, virtual_email, name, surname, country, company_name,
// group_* (uid, name, email, role, end_free_trial, has_credit_card, currency, timezone, country, city,
// org_uid when set), mno_session, mno_session_recheck (= recheck, ISO 8601 UTC).
std::vector<std::pair<std::string, std::string>> assertion_attributes(const DirectoryUser& user, const UserGroup& group,
                                                                      mno::TimePoint recheck);

struct IdpAnswer {
  std::string acs_url;        // where the form posts
  std::string saml_response;  // base64, the SAMLResponse field
  std::string assertion_id;
  BrokenMode broken = BrokenMode::none;
};

// other_key_pem: a private key that is not this marketplace's (BrokenMode::foreign_key).
mno::Result<IdpAnswer> build_idp_answer(const SandboxState& state, const MarketplaceRecord& market,
                                        const mno::saml::ParsedAuthnRequest& request, const DirectoryUser& user,
                                        const UserGroup& group, const IdpOptions& options,
                                        const std::string& other_key_pem, const mno::Clock& clock, mno::Random& random);

}  // namespace sandbox
