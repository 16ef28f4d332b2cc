// Strict SAMLResponse validation, security.md §1.4 steps 2-11 in order; see response_validator.hpp.
// Each step is a function returning a Status whose code is a reason code of reason_codes.hpp.
#include "mno/saml/response_validator.hpp"

#include <xmlsec/crypto.h>
#include <xmlsec/keys.h>
#include <xmlsec/membuf.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include <set>

#include "mno/config/x509_fingerprint.hpp"
#include "mno/saml/authn_request.hpp"
#include "mno/saml/xml_doc.hpp"
#include "mno/saml/xml_security.hpp"
#include "mno/util/base64.hpp"
#include "mno/util/iso8601.hpp"

namespace mno::saml {

using detail::child;
using detail::count_children;
using detail::get_attr;
using detail::is_element;
using detail::kAssertionNs;
using detail::kDsigNs;
using detail::kProtocolNs;
using detail::kXencNs;
using detail::name_of;
using detail::ns_of;
using detail::strict_text;

namespace {

constexpr const char* kSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";
constexpr const char* kBearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
constexpr const char* kExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
constexpr const char* kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
constexpr const char* kRsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
constexpr const char* kSha1 = "http://www.w3.org/2000/09/xmldsig#sha1";

bool allowed_signature_method(std::string_view uri) {
  return uri == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" || uri == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" ||
         uri == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" || uri == "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" ||
         uri == "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" || uri == "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
}

bool allowed_digest_method(std::string_view uri) {
  return uri == "http://www.w3.org/2001/04/xmlenc#sha256" || uri == "http://www.w3.org/2001/04/xmldsig-more#sha384" ||
         uri == "http://www.w3.org/2001/04/xmlenc#sha512";
}

Error fail(const char* code, std::string message) { return make_error(code, std::move(message)); }

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

struct KeyFree {
  void operator()(xmlSecKey* k) const { xmlSecKeyDestroy(k); }
};
using KeyPtr = std::unique_ptr<xmlSecKey, KeyFree>;

struct DSigCtxFree {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};

std::vector<std::string> split_pem_certificates(std::string_view text) {
  static constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----", kEnd = "-----END CERTIFICATE-----";
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = text.find(kBegin, pos)) != std::string_view::npos) {
    size_t end = text.find(kEnd, pos);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(pos, end + kEnd.size() - pos));
    out.back() += "\n";
    pos = end + kEnd.size();
  }
  return out;
}

// Every element of the tree in document order (iterative: depth cannot blow the stack).
template <class F>
void walk(xmlNode* root, F&& f) {
  xmlNode* n = root;
  while (n) {
    f(n);
    if (n->children && n->type == XML_ELEMENT_NODE) { n = n->children; continue; }
    while (n && n != root && !n->next) n = n->parent;
    if (!n || n == root) break;
    n = n->next;
  }
}

}  // namespace

const std::string* ValidatedAssertion::attribute(std::string_view name) const {
  auto it = attributes.find(std::string(name));
  if (it == attributes.end() || it->second.size() != 1) return nullptr;
  return &it->second.front();
}

struct ResponseValidator::Impl {
  const Clock& clock;
  config::Marketplace m;
  std::shared_ptr<ReplayCache> replay;
  ValidatorOptions opt;
  std::string acs;
  std::string acs_origin;  // "scheme://host[:port]/" (the ref sandbox puts this in Audience)
  std::string sp_entity;
  std::string idp_entity;
  std::vector<KeyPtr> keys;

  Impl(const Clock& c) : clock(c) {}

  Result<ValidatedAssertion> run(std::string_view xml, const InResponseToCheck& irt, TimePoint now) const;
  Status check_signature_profile(xmlNode* sig, const std::string& parent_id, std::string& method, bool& legacy) const;
  Status verify_signature(xmlNode* sig, xmlNode* parent) const;
  bool issuer_ok(const std::string& issuer) const {
    return issuer == idp_entity || (issuer.size() > idp_entity.size() && issuer.compare(0, idp_entity.size(), idp_entity) == 0 &&
                                    issuer.compare(idp_entity.size(), 13, "?SAMLRequest=") == 0);
  }
};

ResponseValidator::ResponseValidator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResponseValidator::~ResponseValidator() = default;
const std::string& ResponseValidator::acs_url() const { return impl_->acs; }
const std::string& ResponseValidator::sp_entity_id() const { return impl_->sp_entity; }
const std::string& ResponseValidator::idp_entity_id() const { return impl_->idp_entity; }

Result<std::shared_ptr<const ResponseValidator>> ResponseValidator::create(const config::Marketplace& marketplace, const Clock& clock,
                                                                          std::shared_ptr<ReplayCache> replay_cache,
                                                                          ValidatorOptions options) {
  if (auto st = ensure_xml_security(); !st) return st.error();
  auto impl = std::make_unique<Impl>(clock);
  impl->m = marketplace;
  impl->replay = std::move(replay_cache);
  impl->opt = std::move(options);
  impl->acs = saml::acs_url(marketplace);
  impl->sp_entity = marketplace.api.id;
  impl->idp_entity = impl->opt.idp_entity_id.empty() ? idp_sso_url(marketplace) : impl->opt.idp_entity_id;
  if (marketplace.sso.consume_path.empty() || marketplace.idm().empty()) return fail("saml.config", "ACS URL not configured");
  if (impl->sp_entity.empty()) return fail("saml.config", "api.id (SP entity id) not configured");
  if (size_t scheme = impl->acs.find("://"); scheme != std::string::npos) {
    size_t slash = impl->acs.find('/', scheme + 3);
    impl->acs_origin = impl->acs.substr(0, slash) + "/";
  }

  std::vector<std::string> pems = split_pem_certificates(marketplace.sso.x509_certificate);
  for (const auto& extra : impl->opt.extra_certificates)
    for (auto& p : split_pem_certificates(extra)) pems.push_back(std::move(p));
  if (pems.empty()) return fail("saml.config", "no IdP certificate configured (sso.x509_certificate)");
  bool fingerprint_matched = marketplace.sso.x509_fingerprint.empty();
  for (const auto& pem : pems) {
    auto fp = config::pem_sha1_fingerprint(pem);
    if (!fp) return fail("saml.config", "IdP certificate is not a valid PEM X.509 certificate");
    if (!marketplace.sso.x509_fingerprint.empty() && config::fingerprints_equal(*fp, marketplace.sso.x509_fingerprint))
      fingerprint_matched = true;
    KeyPtr cert_key(xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte*>(pem.data()),
                                                 static_cast<xmlSecSize>(pem.size()), xmlSecKeyDataFormatCertPem, nullptr,
                                                 nullptr, nullptr));
    if (!cert_key) return fail("saml.config", "cannot load the public key of the IdP certificate");
    // Keep only the public key value: every verification duplicates the key, and duplicating the
    // certificate data with it (an ASN.1 re-decode in OpenSSL 3) cost more than the RSA verify itself.
    xmlSecKeyDataPtr value = xmlSecKeyGetValue(cert_key.get());
    KeyPtr key(xmlSecKeyCreate());
    xmlSecKeyDataPtr value_copy = value ? xmlSecKeyDataDuplicate(value) : nullptr;
    if (!key || !value_copy || xmlSecKeySetValue(key.get(), value_copy) < 0) {
      if (value_copy && (!key || xmlSecKeyGetValue(key.get()) != value_copy)) xmlSecKeyDataDestroy(value_copy);
      return fail("saml.config", "cannot load the public key of the IdP certificate");
    }
    impl->keys.push_back(std::move(key));
  }
  if (!fingerprint_matched) return fail("saml.config", "sso.x509_certificate does not match sso.x509_fingerprint");
  return std::shared_ptr<const ResponseValidator>(new ResponseValidator(std::move(impl)));
}

Result<ValidatedAssertion> ResponseValidator::validate(std::string_view saml_response, const InResponseToCheck& irt,
                                                       std::optional<TimePoint> now) const {
  // Step 2: caps and strict base64, before anything looks at the content.
  if (saml_response.size() > impl_->opt.max_encoded_bytes) return fail("saml.too_large", "SAMLResponse exceeds the encoded size cap");
  auto decoded = base64_decode(saml_response, /*allow_whitespace=*/true);
  if (!decoded) return fail("saml.bad_base64", "SAMLResponse is not valid base64");
  return validate_xml(*decoded, irt, now);
}

Result<ValidatedAssertion> ResponseValidator::validate_xml(std::string_view xml, const InResponseToCheck& irt,
                                                           std::optional<TimePoint> now) const {
  if (xml.size() > impl_->opt.max_decoded_bytes) return fail("saml.too_large", "decoded SAMLResponse exceeds the size cap");
  if (xml.empty() || xml.front() != '<') return fail("saml.not_xml", "decoded SAMLResponse does not start with '<' (deflated?)");
  if (!valid_utf8(xml)) return fail("saml.not_utf8", "decoded SAMLResponse is not UTF-8");
  return impl_->run(xml, irt, now.value_or(impl_->clock.now()));
}

Status ResponseValidator::Impl::check_signature_profile(xmlNode* sig, const std::string& parent_id, std::string& method,
                                                        bool& legacy) const {
  // Direct children only (never a document-wide search: CVE-2024-45409).
  xmlNode *signed_info = nullptr, *sig_value = nullptr;
  int n_si = 0, n_sv = 0, n_ki = 0;
  for (xmlNode* c = sig->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (is_element(c, kDsigNs, "SignedInfo")) { signed_info = c; ++n_si; }
    else if (is_element(c, kDsigNs, "SignatureValue")) { sig_value = c; ++n_sv; }
    else if (is_element(c, kDsigNs, "KeyInfo")) ++n_ki;
    else return fail("saml.signature_object", "unexpected element inside ds:Signature (Object/Manifest are refused)");
  }
  if (n_si != 1 || n_sv != 1 || n_ki > 1) return fail("saml.signature_malformed", "ds:Signature needs one SignedInfo and one SignatureValue");
  (void)sig_value;
  xmlNode *c14n = nullptr, *sm = nullptr;
  int n_c14n = 0, n_sm = 0, n_ref = 0;
  xmlNode* ref = nullptr;
  for (xmlNode* c = signed_info->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (is_element(c, kDsigNs, "CanonicalizationMethod")) { c14n = c; ++n_c14n; }
    else if (is_element(c, kDsigNs, "SignatureMethod")) { sm = c; ++n_sm; }
    else if (is_element(c, kDsigNs, "Reference")) { ref = c; ++n_ref; }
    else return fail("saml.signature_malformed", "unexpected element inside SignedInfo");
  }
  if (n_c14n != 1 || n_sm != 1) return fail("saml.signature_malformed", "SignedInfo needs one CanonicalizationMethod and one SignatureMethod");
  if (n_ref != 1) return fail("saml.reference", "SignedInfo must hold exactly one Reference");
  std::string alg;
  if (!get_attr(c14n, "Algorithm", alg) || alg != kExcC14n)
    return fail("saml.transform_not_allowed", "CanonicalizationMethod must be exclusive c14n");
  if (!get_attr(sm, "Algorithm", method)) return fail("saml.signature_malformed", "SignatureMethod without Algorithm");
  legacy = false;
  if (!allowed_signature_method(method)) {
    if (method == kRsaSha1 && m.sso.legacy_sha1) legacy = true;
    else return fail("saml.algorithm_not_allowed", "SignatureMethod not allowed: " + method.substr(0, 100));
  }
  std::string uri;
  if (!get_attr(ref, "URI", uri) || uri != "#" + parent_id)
    return fail("saml.reference", "Reference URI must be '#' + the ID of the signed element");
  xmlNode *transforms = nullptr, *dm = nullptr, *dv = nullptr;
  int n_tr = 0, n_dm = 0, n_dv = 0;
  for (xmlNode* c = ref->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (is_element(c, kDsigNs, "Transforms")) { transforms = c; ++n_tr; }
    else if (is_element(c, kDsigNs, "DigestMethod")) { dm = c; ++n_dm; }
    else if (is_element(c, kDsigNs, "DigestValue")) { dv = c; ++n_dv; }
    else return fail("saml.signature_malformed", "unexpected element inside Reference");
  }
  (void)dv;
  if (n_tr > 1 || n_dm != 1 || n_dv != 1) return fail("saml.signature_malformed", "Reference needs one DigestMethod and one DigestValue");
  int n_t = 0;
  bool has_enveloped = false;
  if (transforms) {
    for (xmlNode* t = transforms->children; t; t = t->next) {
      if (t->type != XML_ELEMENT_NODE) continue;
      if (!is_element(t, kDsigNs, "Transform")) return fail("saml.transform_not_allowed", "unexpected element inside Transforms");
      if (++n_t > 2) return fail("saml.transform_not_allowed", "more than 2 transforms");
      std::string talg;
      get_attr(t, "Algorithm", talg);
      if (talg == kEnveloped) has_enveloped = true;
      else if (talg != kExcC14n) return fail("saml.transform_not_allowed", "transform not allowed: " + talg.substr(0, 100));
    }
  }
  if (!has_enveloped) return fail("saml.transform_not_allowed", "the enveloped-signature transform is required");
  std::string dalg;
  get_attr(dm, "Algorithm", dalg);
  if (!allowed_digest_method(dalg)) {
    if (dalg == kSha1 && m.sso.legacy_sha1) legacy = true;
    else return fail("saml.algorithm_not_allowed", "DigestMethod not allowed: " + dalg.substr(0, 100));
  }
  return {};
}

Status ResponseValidator::Impl::verify_signature(xmlNode* sig, xmlNode* parent) const {
  for (const auto& key : keys) {
    std::unique_ptr<xmlSecDSigCtx, DSigCtxFree> ctx(xmlSecDSigCtxCreate(nullptr));  // no keys manager: KeyInfo is never consulted
    if (!ctx) return fail("saml.internal", "cannot create xmlsec signature context");
    ctx->signKey = xmlSecKeyDuplicate(key.get());
    if (!ctx->signKey) return fail("saml.internal", "cannot duplicate the pinned key");
    ctx->flags = XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS | XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES;
    ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
    bool ok = xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformExclC14NId) >= 0 &&
              xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformEnvelopedId) >= 0 &&
              xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformSha256Id) >= 0 &&
              xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformSha384Id) >= 0 &&
              xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformSha512Id) >= 0 &&
              xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformExclC14NId) >= 0 &&
              xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformRsaSha256Id) >= 0 &&
              xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformRsaSha384Id) >= 0 &&
              xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformRsaSha512Id) >= 0 &&
              xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformEcdsaSha256Id) >= 0 &&
              xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformEcdsaSha384Id) >= 0 &&
              xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformEcdsaSha512Id) >= 0;
    if (ok && m.sso.legacy_sha1)
      ok = xmlSecDSigCtxEnableReferenceTransform(ctx.get(), xmlSecTransformSha1Id) >= 0 &&
           xmlSecDSigCtxEnableSignatureTransform(ctx.get(), xmlSecTransformRsaSha1Id) >= 0;
    if (!ok) return fail("saml.internal", "cannot configure xmlsec transform allow-lists");
    int rc = xmlSecDSigCtxVerify(ctx.get(), sig);
    // rc is 0 for a BAD signature too: only the status field says it verified.
    if (rc < 0 || ctx->status != xmlSecDSigStatusSucceeded) continue;
    if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1) continue;
    auto* ref = static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
    if (!ref || ref->status != xmlSecDSigStatusSucceeded || !ref->preDigestMemBufMethod) continue;
    xmlSecBufferPtr buf = xmlSecTransformMemBufGetBuffer(ref->preDigestMemBufMethod);
    // A void canonicalization (empty digested bytes) is a failure, never "the digest of nothing".
    if (!buf || xmlSecBufferGetSize(buf) == 0) continue;
    (void)parent;
    return {};
  }
  return fail("saml.signature_invalid", "signature does not verify with the pinned IdP certificate");
}

Result<ValidatedAssertion> ResponseValidator::Impl::run(std::string_view xml, const InResponseToCheck& irt, TimePoint now) const {
  const Seconds skew = m.sso.clock_skew;
  // Step 3: one parse, no DTD. The raw scan refuses a DOCTYPE before libxml2 reads it, so no entity is
  // ever expanded and no external subset fetched (S11-S13).
  if (detail::contains_doctype(xml)) return fail("saml.dtd", "document contains a DOCTYPE");
  detail::DocPtr doc = detail::parse_strict(xml);
  if (!doc) return fail("saml.malformed_xml", "document is not well-formed XML");
  if (doc->intSubset || doc->extSubset) return fail("saml.dtd", "document has a DTD");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  for (xmlNode* n = doc->children; n; n = n->next)
    if (n->type == XML_PI_NODE) return fail("saml.forbidden_node", "processing instruction outside the root");
  bool forbidden = false;
  walk(root, [&](xmlNode* n) {
    if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE || n->type == XML_PI_NODE || n->type == XML_DTD_NODE) forbidden = true;
  });
  if (forbidden) return fail("saml.forbidden_node", "entity reference or processing instruction in the document");
  if (!is_element(root, kProtocolNs, "Response")) return fail("saml.not_response", "root element is not samlp:Response");

  // Step 5: shape.
  bool encrypted = false;
  std::set<std::string> ids;
  bool duplicate = false, wrapped = false, misplaced_sig = false;
  walk(root, [&](xmlNode* n) {
    if (n->type != XML_ELEMENT_NODE) return;
    std::string_view local = name_of(n);
    if (ns_of(n) == kXencNs || local.rfind("Encrypted", 0) == 0) encrypted = true;
    for (xmlAttr* a = n->properties; a; a = a->next) {
      std::string_view an(reinterpret_cast<const char*>(a->name));
      bool is_id = (a->ns == nullptr && (an == "ID" || an == "Id" || an == "id")) ||
                   (a->ns && a->ns->href && std::string_view(reinterpret_cast<const char*>(a->ns->href)) == "http://www.w3.org/XML/1998/namespace" && an == "id");
      if (!is_id) continue;
      xmlChar* v = xmlNodeGetContent(reinterpret_cast<xmlNode*>(a));
      std::string value = v ? reinterpret_cast<const char*>(v) : "";
      xmlFree(v);
      if (!ids.insert(value).second) duplicate = true;
    }
    if (is_element(n, kProtocolNs, "Response") && n != root) wrapped = true;
    if (is_element(n, kAssertionNs, "Assertion") && n->parent != root) wrapped = true;
    if (is_element(n, kDsigNs, "Signature")) {
      if (n->parent != root && !is_element(n->parent, kAssertionNs, "Assertion")) misplaced_sig = true;
    }
  });
  if (encrypted) return fail("saml.encrypted", "encrypted elements are not accepted (encryption is not configured)");
  if (duplicate) return fail("saml.duplicate_id", "an ID value occurs more than once");
  if (wrapped) return fail("saml.xsw", "Assertion or Response element outside its legal position");
  if (count_children(root, kAssertionNs, "Assertion") != 1) return fail("saml.assertion_count", "the Response must hold exactly one Assertion");
  xmlNode* assertion = child(root, kAssertionNs, "Assertion");
  if (misplaced_sig || count_children(root, kDsigNs, "Signature") > 1 || count_children(assertion, kDsigNs, "Signature") > 1)
    return fail("saml.signature_placement", "ds:Signature must be a direct child of the Response or the Assertion, at most one each");
  std::string version, response_id, assertion_version, assertion_id;
  if (!get_attr(root, "Version", version) || version != "2.0") return fail("saml.version", "Response Version is not 2.0");
  if (!get_attr(root, "ID", response_id) || response_id.empty()) return fail("saml.missing_id", "Response has no ID");
  if (!get_attr(assertion, "Version", assertion_version) || assertion_version != "2.0") return fail("saml.version", "Assertion Version is not 2.0");
  if (!get_attr(assertion, "ID", assertion_id) || assertion_id.empty()) return fail("saml.missing_id", "Assertion has no ID");

  // Steps 6 and 8: the Assertion must carry its own signature (§7); a Response signature, if any, is checked too.
  xmlNode* assertion_sig = child(assertion, kDsigNs, "Signature");
  xmlNode* response_sig = child(root, kDsigNs, "Signature");
  if (!assertion_sig) return fail("saml.signature_missing", "the Assertion is not signed");
  ValidatedAssertion out;
  if (auto st = check_signature_profile(assertion_sig, assertion_id, out.signature_method, out.legacy_sha1); !st) return st.error();
  if (response_sig) {
    std::string method;
    bool legacy = false;
    if (auto st = check_signature_profile(response_sig, response_id, method, legacy); !st) return st.error();
    out.legacy_sha1 = out.legacy_sha1 || legacy;
  }

  // Step 7: register the IDs only on the expected nodes, then verify with the pinned key(s).
  auto register_id = [&](xmlNode* node, const std::string& id) -> bool {
    xmlAttr* attr = xmlHasProp(node, BAD_CAST "ID");
    if (!attr) return false;
    if (!xmlAddID(nullptr, doc.get(), BAD_CAST id.c_str(), attr)) return false;
    xmlAttr* found = xmlGetID(doc.get(), BAD_CAST id.c_str());
    return found && found->parent == node;  // the Reference can only resolve to this very node
  };
  if (!register_id(assertion, assertion_id)) return fail("saml.duplicate_id", "Assertion ID cannot be bound uniquely");
  if (response_sig && !register_id(root, response_id)) return fail("saml.duplicate_id", "Response ID cannot be bound uniquely");
  if (auto st = verify_signature(assertion_sig, assertion); !st) return st.error();
  if (response_sig)
    if (auto st = verify_signature(response_sig, root); !st) return st.error();

  // Step 9: values, only from the verified Assertion node, text children only.
  out.response_id = response_id;
  out.assertion_id = assertion_id;
  if (count_children(assertion, kAssertionNs, "Issuer") != 1) return fail("saml.issuer", "the Assertion must have exactly one Issuer");
  if (!strict_text(child(assertion, kAssertionNs, "Issuer"), out.issuer)) return fail("saml.mixed_content", "Assertion Issuer has non-text content");
  if (count_children(assertion, kAssertionNs, "Subject") != 1) return fail("saml.name_id", "the Assertion must have exactly one Subject");
  xmlNode* subject = child(assertion, kAssertionNs, "Subject");
  if (count_children(subject, kAssertionNs, "NameID") != 1) return fail("saml.name_id", "the Subject must have exactly one NameID");
  xmlNode* name_id = child(subject, kAssertionNs, "NameID");
  if (!strict_text(name_id, out.name_id)) return fail("saml.mixed_content", "NameID has non-text content (comment or element)");
  if (out.name_id.empty()) return fail("saml.name_id", "NameID is empty");
  get_attr(name_id, "Format", out.name_id_format);
  if (std::string spq; get_attr(name_id, "SPNameQualifier", spq) && spq != sp_entity)
    return fail("saml.name_id", "NameID SPNameQualifier names another service provider");
  for (xmlNode* st = assertion->children; st; st = st->next) {
    if (!is_element(st, kAssertionNs, "AttributeStatement")) continue;
    for (xmlNode* a = st->children; a; a = a->next) {
      if (!is_element(a, kAssertionNs, "Attribute")) continue;
      std::string name;
      if (!get_attr(a, "Name", name) || name.empty()) return fail("saml.duplicate_attribute", "Attribute without Name");
      if (out.attributes.count(name)) return fail("saml.duplicate_attribute", "two Attribute elements share one Name");
      auto& values = out.attributes[name];
      for (xmlNode* v = a->children; v; v = v->next) {
        if (!is_element(v, kAssertionNs, "AttributeValue")) continue;
        std::string text;
        if (!strict_text(v, text)) return fail("saml.mixed_content", "AttributeValue has non-text content (comment or element)");
        values.push_back(std::move(text));
      }
    }
  }

  // Step 10: semantics.
  xmlNode* status = child(root, kProtocolNs, "Status");
  xmlNode* status_code = status ? child(status, kProtocolNs, "StatusCode") : nullptr;
  std::string status_value;
  if (!status_code || !get_attr(status_code, "Value", status_value) || status_value != kSuccess)
    return fail("saml.status", "StatusCode is not Success");
  if (xmlNode* ri = child(root, kAssertionNs, "Issuer")) {
    std::string response_issuer;
    if (count_children(root, kAssertionNs, "Issuer") != 1 || !strict_text(ri, response_issuer) || !issuer_ok(response_issuer))
      return fail("saml.issuer", "Response Issuer is not the configured IdP");
  }
  if (!issuer_ok(out.issuer)) return fail("saml.issuer", "Assertion Issuer is not the configured IdP");
  std::string destination;
  if (!get_attr(root, "Destination", destination) || destination != acs)
    return fail("saml.destination", "Destination is missing or is not the ACS URL");

  auto parse_time = [](const std::string& text, TimePoint& out_t) {
    auto t = parse_iso8601(text);
    if (!t) return false;
    out_t = *t;
    return true;
  };
  // IssueInstant of Response and Assertion: not in the future, not older than the maximum age.
  for (xmlNode* n : {root, assertion}) {
    std::string text;
    TimePoint t;
    if (!get_attr(n, "IssueInstant", text)) return fail("saml.bad_time", "IssueInstant missing");
    if (!parse_time(text, t)) return fail("saml.bad_time", "IssueInstant is not a valid xs:dateTime");
    if (t > now + skew) return fail("saml.not_yet_valid", "IssueInstant is in the future");
    if (t < now - opt.max_assertion_age - skew) return fail("saml.expired", "IssueInstant is older than the maximum assertion age");
    if (n == assertion) out.issue_instant = t;
  }

  if (count_children(assertion, kAssertionNs, "Conditions") != 1) return fail("saml.conditions", "the Assertion must have exactly one Conditions");
  xmlNode* conditions = child(assertion, kAssertionNs, "Conditions");
  std::string nb_text, noa_text;
  if (!get_attr(conditions, "NotBefore", nb_text) || !get_attr(conditions, "NotOnOrAfter", noa_text))
    return fail("saml.conditions", "Conditions lacks NotBefore or NotOnOrAfter");
  if (!parse_time(nb_text, out.not_before) || !parse_time(noa_text, out.not_on_or_after))
    return fail("saml.bad_time", "Conditions time is not a valid xs:dateTime");
  if (out.not_before > now + skew) return fail("saml.not_yet_valid", "Conditions NotBefore is in the future");
  if (out.not_on_or_after <= now - skew) return fail("saml.expired", "Conditions NotOnOrAfter has passed");
  int restrictions = 0;
  for (xmlNode* ar = conditions->children; ar; ar = ar->next) {
    if (!is_element(ar, kAssertionNs, "AudienceRestriction")) continue;
    ++restrictions;
    bool match = false;
    for (xmlNode* au = ar->children; au; au = au->next) {
      if (!is_element(au, kAssertionNs, "Audience")) continue;
      std::string aud;
      if (!strict_text(au, aud)) return fail("saml.mixed_content", "Audience has non-text content");
      if (aud == sp_entity || (!acs_origin.empty() && aud == acs_origin)) match = true;
    }
    if (!match) return fail("saml.audience", "AudienceRestriction does not name this service provider");
  }
  if (restrictions == 0) return fail("saml.audience", "no AudienceRestriction");

  if (count_children(assertion, kAssertionNs, "AuthnStatement") != 1) return fail("saml.authn_statement", "the Assertion must have exactly one AuthnStatement");
  xmlNode* authn = child(assertion, kAssertionNs, "AuthnStatement");
  get_attr(authn, "SessionIndex", out.session_index);
  if (std::string snoa; get_attr(authn, "SessionNotOnOrAfter", snoa)) {
    TimePoint t;
    if (!parse_time(snoa, t)) return fail("saml.bad_time", "SessionNotOnOrAfter is not a valid xs:dateTime");
    if (t <= now - skew) return fail("saml.expired", "SessionNotOnOrAfter has passed");
    out.session_not_on_or_after = t;
  }

  xmlNode* bearer_data = nullptr;
  int bearers = 0;
  for (xmlNode* sc = subject->children; sc; sc = sc->next) {
    if (!is_element(sc, kAssertionNs, "SubjectConfirmation")) continue;
    std::string method;
    if (!get_attr(sc, "Method", method) || method != kBearer) continue;
    ++bearers;
    if (count_children(sc, kAssertionNs, "SubjectConfirmationData") != 1) return fail("saml.subject_confirmation", "bearer SubjectConfirmation needs one SubjectConfirmationData");
    bearer_data = child(sc, kAssertionNs, "SubjectConfirmationData");
  }
  if (bearers != 1 || !bearer_data) return fail("saml.subject_confirmation", "exactly one bearer SubjectConfirmation is required");
  if (std::string nb; get_attr(bearer_data, "NotBefore", nb)) return fail("saml.subject_confirmation", "bearer SubjectConfirmationData must not carry NotBefore");
  std::string recipient;
  if (!get_attr(bearer_data, "Recipient", recipient) || recipient != acs) return fail("saml.recipient", "Recipient is missing or is not the ACS URL");
  std::string scd_noa;
  if (!get_attr(bearer_data, "NotOnOrAfter", scd_noa)) return fail("saml.subject_confirmation", "SubjectConfirmationData lacks NotOnOrAfter");
  if (!parse_time(scd_noa, out.subject_not_on_or_after)) return fail("saml.bad_time", "SubjectConfirmationData NotOnOrAfter is not a valid xs:dateTime");
  if (out.subject_not_on_or_after <= now - skew) return fail("saml.expired", "SubjectConfirmationData NotOnOrAfter has passed");

  std::string response_irt, scd_irt;
  bool has_response_irt = get_attr(root, "InResponseTo", response_irt);
  bool has_scd_irt = get_attr(bearer_data, "InResponseTo", scd_irt);
  if (has_response_irt && has_scd_irt && response_irt != scd_irt)
    return fail("saml.in_response_to", "Response and SubjectConfirmationData InResponseTo differ");
  out.in_response_to = has_scd_irt ? scd_irt : response_irt;
  switch (irt.mode) {
    case InResponseToCheck::Mode::expect:
      if (out.in_response_to.empty() || irt.expected.empty() || out.in_response_to != irt.expected)
        return fail("saml.in_response_to", "InResponseTo does not match the outstanding request");
      break;
    case InResponseToCheck::Mode::store: {
      if (out.in_response_to.empty()) return fail("saml.in_response_to", "InResponseTo is missing (unsolicited response)");
      if (!irt.store) return fail("saml.internal", "no request store given");
      auto outstanding = irt.store->is_outstanding(out.in_response_to, irt.session_key, now);
      if (!outstanding) return outstanding.error();
      if (!*outstanding) return fail("saml.in_response_to", "InResponseTo is not an outstanding request of this browser session");
      break;
    }
    case InResponseToCheck::Mode::relaxed:
      break;
  }

  // Step 11: replay cache (unique key), then the outstanding request is used up.
  if (replay) {
    TimePoint expiry = std::max(out.not_on_or_after, out.subject_not_on_or_after) + skew;
    if (auto st = replay->remember(m.name, assertion_id, expiry); !st) return st.error();
  }
  if (irt.mode == InResponseToCheck::Mode::store)
    if (auto st = irt.store->consume(out.in_response_to, irt.session_key, now); !st) return st.error();
  return out;
}

}  // namespace mno::saml
