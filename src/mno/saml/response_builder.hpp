// IdP side: builds a Maestrano-shaped SAML Response (spec 3.3, attribute values XML-escaped, unlike the
// ref sandbox) and signs its Assertion (RSA-SHA256, exclusive c14n, enveloped, Reference "#<ID>") with
// a PEM private key. Used by mno-sandbox as its IdP and by the tests as the baseline every attack
// mutates; options exist for legacy SHA-1, signing the Response too, clock offsets and unsigned output.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace mno::saml {

enum class SignatureAlgorithm { rsa_sha256, rsa_sha384, rsa_sha512, rsa_sha1 };

struct ResponseParams {
  std::string issuer;          // IdP entity id (Response and Assertion Issuer)
  std::string destination;     // ACS URL (Response Destination); "" = omit
  std::string recipient;       // ACS URL (SubjectConfirmationData Recipient); "" = omit
  std::string audience;        // SP entity id (api.id); "" = no AudienceRestriction
  std::string in_response_to;  // AuthnRequest ID; "" = omit (unsolicited)
  std::string name_id;         // user uid
  // Attribute Name → value, in order (Maestrano: mno_uid first, then spec 3.4 keys). Escaped on output.
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string status_code = "urn:oasis:names:tc:SAML:2.0:status:Success";
  std::string response_id;     // "" = "_" + 32 hex from Random
  std::string assertion_id;    // "" = "_" + 32 hex from Random
  // Times: issue instant = now + clock_offset; NotBefore = issue - 5 s; NotOnOrAfter = issue + 60 min;
  // SubjectConfirmationData NotOnOrAfter = issue + 3 min (spec 3.3). Each can be overridden.
  Seconds clock_offset{0};
  std::optional<TimePoint> issue_instant, not_before, not_on_or_after, subject_not_on_or_after;
};

struct SigningOptions {
  std::string private_key_pem;   // PKCS#1 or PKCS#8 RSA key
  std::string certificate_pem;   // placed in KeyInfo/X509Data (informational only for our SP); "" = no KeyInfo
  SignatureAlgorithm algorithm = SignatureAlgorithm::rsa_sha256;
  bool sign_assertion = true;
  bool sign_response = false;    // also sign the Response (enveloped, after its Issuer)
  bool template_only = false;    // insert the Signature template(s) but leave them unsigned (for the xmlsec1 CLI)
  // Called on the serialized XML before it is parsed and signed: tests build validly signed odd documents.
  std::function<void(std::string& xml)> before_signing;
};

struct BuiltResponse {
  std::string xml;
  std::string base64;        // base64(xml), one line: the SAMLResponse form value
  std::string response_id;
  std::string assertion_id;
};

// The unsigned document (no Signature elements).
Result<std::string> build_response_xml(const ResponseParams& params, const Clock& clock, Random& random,
                                       std::string* response_id = nullptr, std::string* assertion_id = nullptr);
// Builds and signs. Errors: saml.signing (bad key, xmlsec failure), saml.internal.
Result<BuiltResponse> build_signed_response(const ResponseParams& params, const SigningOptions& signing,
                                            const Clock& clock, Random& random);
// Signs an existing document: inserts an enveloped Signature after the Issuer of the element with
// this ID (Response or Assertion) and signs it. Several IDs are signed in order.
Result<std::string> sign_xml(const std::string& xml, const std::vector<std::string>& element_ids, const SigningOptions& signing);

// The XML escaping used for text and attribute values (& < > " ').
std::string xml_escape(std::string_view s);

}  // namespace mno::saml
