// The ACS side: strict validation of a SAMLResponse (HTTP-POST binding) following security.md §1.4
// steps 2-11 in order: transport caps and strict base64, one libxml2 parse without DTD, shape checks
// (one Response, exactly one Assertion, signature placement, unique IDs), signature profile allow-list,
// xmlsec verification with the pinned IdP certificate(s) only (KeyInfo is never used), the single
// Reference bound to the Assertion that is then read, values read only from that verified node,
// semantics (Status, Issuer, Audience, Destination, Recipient, InResponseTo, times with skew) and the
// persistent replay cache. Every rejection is an mno::Error whose code is listed in reason_codes.hpp.
//
// A ResponseValidator is immutable after create() and may be used from several threads at once.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "mno/config/marketplace.hpp"
#include "mno/saml/replay_cache.hpp"
#include "mno/saml/request_store.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::saml {

struct ValidatorOptions {
  size_t max_encoded_bytes = 256 * 1024;  // SAMLResponse form value, before base64 decoding
  size_t max_decoded_bytes = 192 * 1024;  // after decoding
  Seconds max_assertion_age{600};         // IssueInstant of Response and Assertion may be this old (+ skew)
  // Extra pinned certificates (PEM) besides sso.x509_certificate, for key rollover.
  std::vector<std::string> extra_certificates;
  // Expected Issuer; "" = idp_sso_url(marketplace). The ref sandbox's quirky Issuer
  // "<idp_sso_url>?SAMLRequest=..." (spec 3.3) is accepted as well.
  std::string idp_entity_id;
};

struct ValidatedAssertion {
  std::string response_id;
  std::string assertion_id;
  std::string issuer;          // the IdP entity id (Assertion Issuer)
  std::string name_id;
  std::string name_id_format;
  std::string in_response_to;  // "" only when InResponseTo checking was relaxed and it was absent
  std::string session_index;
  TimePoint issue_instant{};
  TimePoint not_before{};
  TimePoint not_on_or_after{};          // Conditions
  TimePoint subject_not_on_or_after{};  // bearer SubjectConfirmationData
  std::optional<TimePoint> session_not_on_or_after;
  std::string signature_method;  // algorithm URI of the Assertion signature
  bool legacy_sha1 = false;      // accepted only thanks to sso.legacy_sha1 (count it: deprecation metric)
  // Attribute Name → values in document order (names are unique: duplicates were rejected).
  std::map<std::string, std::vector<std::string>> attributes;

  // The single value of an attribute; nullptr when absent or multi-valued.
  const std::string* attribute(std::string_view name) const;
};

// Where the expected InResponseTo comes from.
struct InResponseToCheck {
  enum class Mode { expect, store, relaxed };
  Mode mode = Mode::expect;
  std::string expected;               // Mode::expect
  RequestStore* store = nullptr;      // Mode::store: consumed on success
  std::string session_key;            // Mode::store: the browser session that started the login

  static InResponseToCheck expect(std::string request_id) { return {Mode::expect, std::move(request_id), nullptr, {}}; }
  static InResponseToCheck from_store(RequestStore& s, std::string session_key) {
    return {Mode::store, {}, &s, std::move(session_key)};
  }
  // Diagnostics only (`tally saml verify`): InResponseTo is not compared. Never use on a live ACS.
  static InResponseToCheck relaxed() { return {Mode::relaxed, {}, nullptr, {}}; }
};

class ResponseValidator {
 public:
  // Parses the pinned certificate(s) once: sso.x509_certificate may hold several PEM blocks (rollover),
  // plus options.extra_certificates. When sso.x509_fingerprint is set, one of them must have that SHA-1.
  // replay_cache may be nullptr only for diagnostics (the verify tool); clock must outlive the validator.
  // Errors: saml.config, saml.internal.
  static Result<std::shared_ptr<const ResponseValidator>> create(const config::Marketplace& marketplace, const Clock& clock,
                                                                 std::shared_ptr<ReplayCache> replay_cache,
                                                                 ValidatorOptions options = {});
  ~ResponseValidator();

  // saml_response: the raw SAMLResponse form value (base64, line breaks allowed). now overrides the clock.
  Result<ValidatedAssertion> validate(std::string_view saml_response, const InResponseToCheck& in_response_to,
                                      std::optional<TimePoint> now = std::nullopt) const;
  // Same pipeline from step 3, for already decoded XML (verify tool, tests).
  Result<ValidatedAssertion> validate_xml(std::string_view xml, const InResponseToCheck& in_response_to,
                                          std::optional<TimePoint> now = std::nullopt) const;

  const std::string& acs_url() const;
  const std::string& sp_entity_id() const;
  const std::string& idp_entity_id() const;

  struct Impl;

 private:
  explicit ResponseValidator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mno::saml
