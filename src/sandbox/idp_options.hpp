// Per-marketplace IdP behaviour the tests and developers can change at run time (spec 7): signature
// algorithm, signing the Response too, the IdP's clock offset, the session re-check interval, and a
// "broken response" mode applied to the next N responses, to exercise the app's rejection paths.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/saml/response_builder.hpp"
#include "mno/util/result.hpp"

namespace sandbox {

// Each mode breaks exactly one thing; the comment names the reason code a strict SP reports.
enum class BrokenMode {
  none,
  bad_signature,        // a signed value altered after signing          → saml.signature_invalid
  foreign_key,          // signed with another marketplace's key         → saml.signature_invalid
  unsigned_assertion,   // no signature at all                           → saml.signature_missing
  expired,              // issued two hours ago                          → saml.expired
  not_yet_valid,        // issued one hour in the future                 → saml.not_yet_valid
  wrong_audience,       // Audience is another app                       → saml.audience
  wrong_destination,    // Response Destination is another URL           → saml.destination
  wrong_recipient,      // SubjectConfirmationData Recipient another URL → saml.recipient
  wrong_issuer,         // Issuer is another IdP                         → saml.issuer
  wrong_in_response_to, // InResponseTo names another request            → saml.in_response_to
  status_failure,       // StatusCode Requester                          → saml.status
  wrapped_assertion,    // signature wrapping: a forged Assertion beside the signed one → saml.xsw / saml.assertion_count
};

std::string_view broken_mode_name(BrokenMode m);
std::optional<BrokenMode> broken_mode_from_name(std::string_view name);
const std::vector<BrokenMode>& broken_modes();  // every mode except none

std::string_view algorithm_name(mno::saml::SignatureAlgorithm a);  // "rsa-sha256", "rsa-sha1", ...
std::optional<mno::saml::SignatureAlgorithm> algorithm_from_name(std::string_view name);

struct IdpOptions {
  mno::saml::SignatureAlgorithm algorithm = mno::saml::SignatureAlgorithm::rsa_sha256;
  bool sign_response = false;
  int64_t clock_offset_seconds = 0;   // the IdP's clock is this far ahead (negative: behind)
  int64_t recheck_seconds = 180;      // mno_session_recheck and session-check "recheck" = now + this
  BrokenMode broken = BrokenMode::none;
  int64_t broken_remaining = 0;       // responses still to break; back to none at 0
};

class IdpOptionsStore {
 public:
  explicit IdpOptionsStore(std::shared_ptr<mno::db::Database> db);
  // Defaults when nothing was stored for the marketplace.
  mno::Result<IdpOptions> get(const std::string& marketplace) const;
  mno::Status set(const std::string& marketplace, const IdpOptions& options);
  // The options for one response, consuming one broken response (atomically) when a mode is armed.
  mno::Result<IdpOptions> take_for_response(const std::string& marketplace);

 private:
  std::shared_ptr<mno::db::Database> db_;
};

}  // namespace sandbox
