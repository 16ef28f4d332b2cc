// The stable reason codes of SAML rejections (mno::Error::code) and their human explanations.
// They exist so that logs, tests, the `tally saml verify` tool and operators all speak the same
// vocabulary; a code never changes meaning once shipped. Messages attached to errors are safe to log:
// they never contain NameID, attribute values or the raw document.
//
// | code                          | pipeline step (security.md §1.4) | meaning |
// |-------------------------------|-----|---------|
// | saml.config                   | -   | marketplace SAML settings unusable: no/invalid IdP certificate, certificate does not match sso.x509_fingerprint |
// | saml.too_large                | 2   | SAMLResponse over the byte cap (before or after base64 decoding) |
// | saml.bad_base64               | 2   | SAMLResponse is not strict base64 |
// | saml.not_utf8                 | 2   | decoded bytes are not valid UTF-8 |
// | saml.not_xml                  | 2   | decoded bytes do not start with '<' (e.g. a deflated payload: the POST binding is never deflated) |
// | saml.dtd                      | 3   | a DOCTYPE / internal or external DTD is present (XXE, entity expansion, parser differentials) |
// | saml.malformed_xml            | 3   | libxml2 could not parse the document (not well-formed) |
// | saml.forbidden_node           | 3   | an entity reference or processing instruction node is present |
// | saml.not_response             | 3   | the root element is not samlp:Response |
// | saml.version                  | 5   | Response or Assertion Version is not "2.0" |
// | saml.missing_id               | 5   | Response or Assertion has no ID |
// | saml.encrypted                | 5   | EncryptedAssertion / EncryptedAttribute / EncryptedID / EncryptedData present (encryption is not configured) |
// | saml.duplicate_id             | 5   | the same ID/Id/xml:id value occurs more than once in the document |
// | saml.xsw                      | 5   | an Assertion or Response element sits somewhere other than its one legal position (signature wrapping) |
// | saml.assertion_count          | 5   | the Response does not have exactly one Assertion child |
// | saml.signature_placement      | 5   | a ds:Signature is not a direct child of the Response or the Assertion, or an element has two |
// | saml.signature_missing        | 8   | the Assertion carries no signature (a Response-only signature is not enough: §7) |
// | saml.signature_malformed      | 6   | ds:Signature lacks SignedInfo/SignatureValue/... or has them twice |
// | saml.signature_object         | 6   | ds:Object or ds:Manifest (or any unexpected child) inside ds:Signature |
// | saml.reference                | 6   | not exactly one Reference, or its URI is not "#" + the signed parent's ID |
// | saml.transform_not_allowed    | 6   | a transform or canonicalization method outside {enveloped-signature, exc-c14n}, or more than 2 |
// | saml.algorithm_not_allowed    | 6   | SignatureMethod/DigestMethod not allow-listed (SHA-1 needs sso.legacy_sha1, HMAC never) |
// | saml.signature_invalid        | 7   | xmlsec did not verify the signature with any pinned key (digest or signature mismatch, c14n failure) |
// | saml.mixed_content            | 9   | NameID / AttributeValue / Issuer contains a comment, element or other non-text child |
// | saml.name_id                  | 9   | NameID missing or empty, or SPNameQualifier differs from the SP entity id |
// | saml.duplicate_attribute      | 9   | two Attribute elements share a Name |
// | saml.status                   | 10  | top-level StatusCode is not Success (nested codes included) |
// | saml.issuer                   | 10  | Response or Assertion Issuer differs from the IdP entity id, or the Assertion Issuer is missing |
// | saml.conditions               | 10  | not exactly one Conditions element, or it lacks NotBefore/NotOnOrAfter |
// | saml.audience                 | 10  | no AudienceRestriction containing the SP entity id (api.id) |
// | saml.destination              | 10  | Response Destination missing/empty or not exactly the ACS URL |
// | saml.subject_confirmation     | 10  | no bearer SubjectConfirmation(Data), or the bearer data carries NotBefore |
// | saml.recipient                | 10  | SubjectConfirmationData Recipient is not exactly the ACS URL |
// | saml.in_response_to           | 10  | InResponseTo missing, unknown, expired, already used, issued to another browser session, or inconsistent |
// | saml.authn_statement          | 10  | not exactly one AuthnStatement |
// | saml.bad_time                 | 10  | a timestamp is not a strict xs:dateTime |
// | saml.not_yet_valid            | 10  | NotBefore / IssueInstant later than now + clock skew |
// | saml.expired                  | 10  | NotOnOrAfter / SessionNotOnOrAfter passed, or IssueInstant older than the maximum age |
// | saml.replay                   | 11  | this Assertion ID was already accepted (replay cache) |
// | saml.storage                  | 11  | the replay cache or request store could not be read/written (fail closed) |
// | saml.internal                 | -   | xmlsec/libxml2 initialisation or an unexpected library failure |
// | saml.bad_request              | -   | (IdP side) AuthnRequest cannot be decoded/inflated/parsed or lacks ID / ACS URL / Issuer |
// | saml.signing                  | -   | (IdP side) the signer could not load the key or sign the document |
#pragma once
#include <string_view>
#include <vector>

namespace mno::saml {

struct ReasonCode {
  std::string_view code;
  std::string_view explanation;  // one sentence for humans (operators, the verify tool)
};

// Every code above, in table order.
const std::vector<ReasonCode>& reason_codes();
// The explanation of a code; "unknown reason" for codes not in the table.
std::string_view explain_reason(std::string_view code);

}  // namespace mno::saml
