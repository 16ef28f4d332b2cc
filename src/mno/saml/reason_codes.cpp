// Human explanations of the SAML reason codes (the table in reason_codes.hpp, as data).
#include "mno/saml/reason_codes.hpp"

namespace mno::saml {

const std::vector<ReasonCode>& reason_codes() {
  static const std::vector<ReasonCode> codes = {
      {"saml.config", "The marketplace's SAML settings cannot be used: the IdP certificate is missing or invalid, or it does not match sso.x509_fingerprint."},
      {"saml.too_large", "The SAMLResponse is larger than the size cap, before or after base64 decoding."},
      {"saml.bad_base64", "The SAMLResponse is not valid base64."},
      {"saml.not_utf8", "The decoded SAMLResponse is not valid UTF-8."},
      {"saml.not_xml", "The decoded SAMLResponse does not start with '<'; it may be deflated, which the POST binding never is."},
      {"saml.dtd", "The document contains a DOCTYPE/DTD; these enable entity expansion and XXE attacks and are never accepted."},
      {"saml.malformed_xml", "The document is not well-formed XML."},
      {"saml.forbidden_node", "The document contains an entity reference or a processing instruction."},
      {"saml.not_response", "The root element is not a SAML 2.0 protocol Response."},
      {"saml.version", "The Response or Assertion Version is not 2.0."},
      {"saml.missing_id", "The Response or the Assertion has no ID attribute."},
      {"saml.encrypted", "The response contains encrypted elements, but encryption is not configured for this marketplace."},
      {"saml.duplicate_id", "The same ID value occurs more than once in the document (a signature wrapping technique)."},
      {"saml.xsw", "An Assertion or Response element is nested where it does not belong: a signature wrapping attack."},
      {"saml.assertion_count", "The Response must contain exactly one Assertion as a direct child."},
      {"saml.signature_placement", "A signature is not a direct child of the Response or the Assertion, or an element carries two."},
      {"saml.signature_missing", "The Assertion is not signed; a signed Assertion is required."},
      {"saml.signature_malformed", "The signature element is incomplete or has repeated parts."},
      {"saml.signature_object", "The signature contains an Object, Manifest or other unexpected element."},
      {"saml.reference", "The signature must have exactly one Reference, pointing at the ID of the element that contains it."},
      {"saml.transform_not_allowed", "The signature uses a transform or canonicalization other than enveloped-signature and exclusive c14n, or too many."},
      {"saml.algorithm_not_allowed", "The signature or digest algorithm is not allowed (RSA-SHA1 needs the marketplace's legacy_sha1 flag; HMAC is never allowed)."},
      {"saml.signature_invalid", "The signature does not verify with the pinned IdP certificate: the document was changed after signing, or signed by another key."},
      {"saml.mixed_content", "NameID, Issuer or an attribute value contains a comment or child element (comment truncation attack)."},
      {"saml.name_id", "The NameID is missing or empty, or names another service provider."},
      {"saml.duplicate_attribute", "Two attributes share the same Name."},
      {"saml.status", "The IdP did not answer with StatusCode Success."},
      {"saml.issuer", "The Issuer of the Response or Assertion is not the configured IdP, or the Assertion has no Issuer."},
      {"saml.conditions", "The Assertion must have exactly one Conditions element with NotBefore and NotOnOrAfter."},
      {"saml.audience", "The Assertion is not addressed to this service provider (Audience)."},
      {"saml.destination", "The Response Destination is missing or is not this marketplace's ACS URL."},
      {"saml.subject_confirmation", "There is no bearer SubjectConfirmation, or its data carries NotBefore."},
      {"saml.recipient", "The SubjectConfirmationData Recipient is not this marketplace's ACS URL."},
      {"saml.in_response_to", "The response does not answer a login started in this browser session (unknown, expired, already used or missing InResponseTo)."},
      {"saml.authn_statement", "The Assertion must have exactly one AuthnStatement."},
      {"saml.bad_time", "A timestamp is not a valid xs:dateTime."},
      {"saml.not_yet_valid", "The Assertion is not valid yet (NotBefore or IssueInstant is in the future beyond the clock skew)."},
      {"saml.expired", "The Assertion has expired (NotOnOrAfter passed, or it was issued too long ago)."},
      {"saml.replay", "This Assertion was already used to log in (replay)."},
      {"saml.storage", "The replay cache or the outstanding-request store could not be used; the login is refused to stay safe."},
      {"saml.internal", "The XML security library failed unexpectedly."},
      {"saml.bad_request", "The AuthnRequest cannot be decoded or lacks its ID, ACS URL or Issuer."},
      {"saml.signing", "The IdP signer could not load its key or sign the document."},
  };
  return codes;
}

std::string_view explain_reason(std::string_view code) {
  for (const auto& r : reason_codes())
    if (r.code == code) return r.explanation;
  return "unknown reason";
}

}  // namespace mno::saml
