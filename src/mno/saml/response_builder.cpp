// IdP-side Response construction and xmlsec signing; see response_builder.hpp.
#include "mno/saml/response_builder.hpp"

#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include <memory>

#include "mno/saml/xml_doc.hpp"
#include "mno/saml/xml_security.hpp"
#include "mno/util/base64.hpp"
#include "mno/util/iso8601.hpp"

namespace mno::saml {
namespace {

struct KeyFree {
  void operator()(xmlSecKey* k) const { xmlSecKeyDestroy(k); }
};
struct DSigCtxFree {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};

xmlNode* find_by_id(xmlNode* root, const std::string& id) {
  for (xmlNode* n = root; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    std::string v;
    if (detail::get_attr(n, "ID", v) && v == id) return n;
    if (xmlNode* f = find_by_id(n->children, id)) return f;
  }
  return nullptr;
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

Result<std::string> build_response_xml(const ResponseParams& p, const Clock& clock, Random& random, std::string* response_id,
                                       std::string* assertion_id) {
  const std::string rid = p.response_id.empty() ? "_" + random.hex_token(16) : p.response_id;
  const std::string aid = p.assertion_id.empty() ? "_" + random.hex_token(16) : p.assertion_id;
  const TimePoint issue = p.issue_instant.value_or(std::chrono::time_point_cast<std::chrono::seconds>(clock.now()) + p.clock_offset);
  const TimePoint nb = p.not_before.value_or(issue - Seconds{5});
  const TimePoint noa = p.not_on_or_after.value_or(issue + Seconds{3600});
  const TimePoint scd_noa = p.subject_not_on_or_after.value_or(issue + Seconds{180});
  const std::string now_s = format_iso8601(issue);
  const std::string issuer = xml_escape(p.issuer);
  std::string x;
  x.reserve(4096);
  x += "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"" + xml_escape(rid) +
       "\" Version=\"2.0\" IssueInstant=\"" + now_s + "\"";
  if (!p.destination.empty()) x += " Destination=\"" + xml_escape(p.destination) + "\"";
  x += " Consent=\"urn:oasis:names:tc:SAML:2.0:consent:unspecified\"";
  if (!p.in_response_to.empty()) x += " InResponseTo=\"" + xml_escape(p.in_response_to) + "\"";
  x += "><Issuer xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\">" + issuer + "</Issuer>";
  x += "<samlp:Status><samlp:StatusCode Value=\"" + xml_escape(p.status_code) + "\"/></samlp:Status>";
  x += "<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" + xml_escape(aid) + "\" IssueInstant=\"" + now_s +
       "\" Version=\"2.0\"><Issuer>" + issuer + "</Issuer>";
  x += "<Subject><NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\">" + xml_escape(p.name_id) + "</NameID>";
  x += "<SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><SubjectConfirmationData";
  if (!p.in_response_to.empty()) x += " InResponseTo=\"" + xml_escape(p.in_response_to) + "\"";
  x += " NotOnOrAfter=\"" + format_iso8601(scd_noa) + "\"";
  if (!p.recipient.empty()) x += " Recipient=\"" + xml_escape(p.recipient) + "\"";
  x += "/></SubjectConfirmation></Subject>";
  x += "<Conditions NotBefore=\"" + format_iso8601(nb) + "\" NotOnOrAfter=\"" + format_iso8601(noa) + "\">";
  if (!p.audience.empty()) x += "<AudienceRestriction><Audience>" + xml_escape(p.audience) + "</Audience></AudienceRestriction>";
  x += "</Conditions>";
  if (!p.attributes.empty()) {
    x += "<AttributeStatement>";
    for (const auto& [k, v] : p.attributes)
      x += "<Attribute Name=\"" + xml_escape(k) + "\"><AttributeValue>" + xml_escape(v) + "</AttributeValue></Attribute>";
    x += "</AttributeStatement>";
  }
  x += "<AuthnStatement AuthnInstant=\"" + now_s + "\" SessionIndex=\"" + xml_escape(aid) +
       "\"><AuthnContext><AuthnContextClassRef>urn:federation:authentication:windows</AuthnContextClassRef></AuthnContext></AuthnStatement>";
  x += "</Assertion></samlp:Response>";
  if (response_id) *response_id = rid;
  if (assertion_id) *assertion_id = aid;
  return x;
}

Result<std::string> sign_xml(const std::string& xml, const std::vector<std::string>& element_ids, const SigningOptions& s) {
  if (auto st = ensure_xml_security(); !st) return st.error();
  detail::DocPtr doc = detail::parse_strict(xml);
  if (!doc) return make_error("saml.signing", "document to sign is not well-formed XML");
  xmlSecTransformId sig_method = xmlSecTransformRsaSha256Id, digest = xmlSecTransformSha256Id;
  switch (s.algorithm) {
    case SignatureAlgorithm::rsa_sha256: break;
    case SignatureAlgorithm::rsa_sha384: sig_method = xmlSecTransformRsaSha384Id; digest = xmlSecTransformSha384Id; break;
    case SignatureAlgorithm::rsa_sha512: sig_method = xmlSecTransformRsaSha512Id; digest = xmlSecTransformSha512Id; break;
    case SignatureAlgorithm::rsa_sha1: sig_method = xmlSecTransformRsaSha1Id; digest = xmlSecTransformSha1Id; break;
  }
  for (const auto& id : element_ids) {
    xmlNode* target = find_by_id(xmlDocGetRootElement(doc.get()), id);
    if (!target) return make_error("saml.signing", "no element with the ID to sign");
    xmlNode* sig = xmlSecTmplSignatureCreateNsPref(doc.get(), xmlSecTransformExclC14NId, sig_method, nullptr, BAD_CAST "ds");
    if (!sig) return make_error("saml.signing", "cannot create the signature template");
    // Right after the element's Issuer (spec 3.3 and the SAML schema order), else as first child.
    xmlNode* issuer = detail::child(target, detail::kAssertionNs, "Issuer");
    if (issuer) xmlAddNextSibling(issuer, sig);
    else if (target->children) xmlAddPrevSibling(target->children, sig);
    else xmlAddChild(target, sig);
    std::string uri = "#" + id;
    xmlNode* ref = xmlSecTmplSignatureAddReference(sig, digest, nullptr, BAD_CAST uri.c_str(), nullptr);
    if (!ref || !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
        !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId))
      return make_error("saml.signing", "cannot create the reference template");
    if (!s.certificate_pem.empty()) {
      xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(sig, nullptr);
      if (!key_info || !xmlSecTmplKeyInfoAddX509Data(key_info)) return make_error("saml.signing", "cannot create KeyInfo");
    }
    if (s.template_only) continue;
    xmlAttr* attr = xmlHasProp(target, BAD_CAST "ID");
    xmlAddID(nullptr, doc.get(), BAD_CAST id.c_str(), attr);
    std::unique_ptr<xmlSecDSigCtx, DSigCtxFree> ctx(xmlSecDSigCtxCreate(nullptr));
    if (!ctx) return make_error("saml.internal", "cannot create xmlsec context");
    std::unique_ptr<xmlSecKey, KeyFree> key(xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(s.private_key_pem.data()),
                                                                         static_cast<xmlSecSize>(s.private_key_pem.size()),
                                                                         xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr));
    if (!key) return make_error("saml.signing", "cannot load the private key");
    if (!s.certificate_pem.empty() &&
        xmlSecCryptoAppKeyCertLoadMemory(key.get(), reinterpret_cast<const xmlSecByte*>(s.certificate_pem.data()),
                                         static_cast<xmlSecSize>(s.certificate_pem.size()), xmlSecKeyDataFormatCertPem) < 0)
      return make_error("saml.signing", "cannot load the certificate");
    ctx->signKey = key.release();
    if (xmlSecDSigCtxSign(ctx.get(), sig) < 0 || ctx->status != xmlSecDSigStatusSucceeded)
      return make_error("saml.signing", "signing failed");
    // The ID stays registered: a later ID (the Response) may need to see it as unique.
  }
  return detail::serialize(doc.get());
}

Result<BuiltResponse> build_signed_response(const ResponseParams& params, const SigningOptions& signing, const Clock& clock,
                                            Random& random) {
  BuiltResponse out;
  auto xml = build_response_xml(params, clock, random, &out.response_id, &out.assertion_id);
  if (!xml) return xml.error();
  if (signing.before_signing) signing.before_signing(*xml);
  std::vector<std::string> ids;
  if (signing.sign_assertion) ids.push_back(out.assertion_id);
  if (signing.sign_response) ids.push_back(out.response_id);
  if (ids.empty()) {
    out.xml = std::move(*xml);
  } else {
    auto signed_xml = sign_xml(*xml, ids, signing);
    if (!signed_xml) return signed_xml.error();
    out.xml = std::move(*signed_xml);
  }
  out.base64 = base64_encode(out.xml);
  return out;
}

}  // namespace mno::saml
