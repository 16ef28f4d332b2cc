// AuthnRequest building (SP) and tolerant parsing (IdP) for the HTTP-Redirect binding; see authn_request.hpp.
#include "mno/saml/authn_request.hpp"

#include <zlib.h>

#include <optional>

#include "mno/saml/url_codec.hpp"
#include "mno/saml/xml_doc.hpp"
#include "mno/saml/xml_security.hpp"
#include "mno/util/base64.hpp"
#include "mno/util/iso8601.hpp"

namespace mno::saml {
namespace {

constexpr size_t kMaxRequestXml = 64 * 1024;     // an AuthnRequest is < 2 KiB; anything bigger is abuse
constexpr size_t kMaxRequestParam = 96 * 1024;

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// Single quotes and the Ruby SDK's element order (spec 3.2), with values escaped for attributes.
std::string escape_attr(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&apos;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

Result<std::string> inflate_with(std::string_view data, size_t max_output, int window_bits) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return make_error("saml.bad_request", "inflate init failed");
  std::string out;
  char buf[16384];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return make_error("saml.bad_request", "SAMLRequest is not valid deflate data");
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_output) {
      inflateEnd(&zs);
      return make_error("saml.too_large", "inflated SAMLRequest exceeds the size cap");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return make_error("saml.bad_request", "truncated deflate data");
    }
  }
  inflateEnd(&zs);
  return out;
}

bool starts_with_markup(std::string_view s) {
  size_t i = s.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && s[i] == '<';
}

}  // namespace

std::string idp_sso_url(const config::Marketplace& m) { return trim_slash(m.sso.idp) + "/api/v1/auth/saml"; }

std::string acs_url(const config::Marketplace& m) { return trim_slash(m.idm()) + m.sso.consume_path; }

std::string deflate_raw(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

Result<std::string> inflate_raw(std::string_view data, size_t max_output) { return inflate_with(data, max_output, -15); }

Result<AuthnRequest> build_authn_request(const config::Marketplace& m, const Clock& clock, Random& random,
                                         const QueryParams& forward) {
  if (m.sso.idp.empty()) return make_error("saml.config", "sso.idp is not configured");
  if (m.api.id.empty()) return make_error("saml.config", "api.id is not configured");
  if (m.idm().empty() || m.sso.consume_path.empty()) return make_error("saml.config", "the ACS URL (idm + sso.consume_path) is not configured");
  AuthnRequest r;
  r.id = "_" + random.hex_token(16);
  r.issue_instant = std::chrono::time_point_cast<std::chrono::seconds>(clock.now());
  const std::string dest = idp_sso_url(m);
  r.xml = "<samlp:AuthnRequest xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' ID='" + escape_attr(r.id) +
          "' IssueInstant='" + format_iso8601(r.issue_instant) + "' Version='2.0' Destination='" + escape_attr(dest) +
          "' AssertionConsumerServiceURL='" + escape_attr(acs_url(m)) +
          "'><saml:Issuer xmlns:saml='urn:oasis:names:tc:SAML:2.0:assertion'>" + escape_attr(m.api.id) +
          "</saml:Issuer><samlp:NameIDPolicy xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol' AllowCreate='true' Format='" +
          escape_attr(m.sso.name_id_format.empty() ? std::string(config::kNameIdPersistent) : m.sso.name_id_format) +
          "'/></samlp:AuthnRequest>";
  r.saml_request = base64_encode(deflate_raw(r.xml));
  r.redirect_url = dest + (dest.find('?') == std::string::npos ? "?" : "&") + "SAMLRequest=" + url_encode(r.saml_request);
  for (const auto& [k, v] : forward) {
    if (k == "SAMLRequest") continue;
    r.redirect_url += "&" + url_encode(k) + "=" + url_encode(v);
  }
  return r;
}

Result<ParsedAuthnRequest> parse_saml_request_value(std::string_view saml_request) {
  if (saml_request.size() > kMaxRequestParam) return make_error("saml.too_large", "SAMLRequest exceeds the size cap");
  auto raw = base64_decode(saml_request, /*allow_whitespace=*/true);
  if (!raw) return make_error("saml.bad_request", "SAMLRequest is not valid base64");
  std::string xml;
  if (starts_with_markup(*raw)) {
    xml = std::move(*raw);
  } else {
    auto inflated = inflate_raw(*raw, kMaxRequestXml);
    if (!inflated && inflated.error().code == "saml.too_large") return inflated.error();
    if (!inflated) inflated = inflate_with(*raw, kMaxRequestXml, 15 + 32);  // zlib/gzip wrapped, seen in the wild
    if (!inflated) return inflated.error();
    xml = std::move(*inflated);
  }
  if (xml.size() > kMaxRequestXml) return make_error("saml.too_large", "AuthnRequest exceeds the size cap");
  if (detail::contains_doctype(xml)) return make_error("saml.dtd", "AuthnRequest contains a DOCTYPE");
  if (auto st = ensure_xml_security(); !st) return st.error();
  detail::DocPtr doc = detail::parse_strict(xml);
  if (!doc) return make_error("saml.bad_request", "AuthnRequest is not well-formed XML");
  if (doc->intSubset || doc->extSubset) return make_error("saml.dtd", "AuthnRequest contains a DTD");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!detail::is_element(root, detail::kProtocolNs, "AuthnRequest"))
    return make_error("saml.bad_request", "root element is not a SAML 2.0 AuthnRequest");
  ParsedAuthnRequest p;
  if (!detail::get_attr(root, "ID", p.id) || p.id.empty()) return make_error("saml.bad_request", "AuthnRequest has no ID");
  if (!detail::get_attr(root, "AssertionConsumerServiceURL", p.acs_url) || p.acs_url.empty())
    return make_error("saml.bad_request", "AuthnRequest has no AssertionConsumerServiceURL");
  detail::get_attr(root, "Destination", p.destination);
  detail::get_attr(root, "IssueInstant", p.issue_instant);
  xmlNode* issuer = detail::child(root, detail::kAssertionNs, "Issuer");
  if (!issuer || !detail::strict_text(issuer, p.issuer)) return make_error("saml.bad_request", "AuthnRequest has no usable Issuer");
  size_t b = p.issuer.find_first_not_of(" \t\r\n"), e = p.issuer.find_last_not_of(" \t\r\n");
  p.issuer = b == std::string::npos ? "" : p.issuer.substr(b, e - b + 1);
  if (p.issuer.empty()) return make_error("saml.bad_request", "AuthnRequest Issuer is empty");
  return p;
}

Result<ParsedAuthnRequest> parse_authn_request(std::string_view query) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  std::optional<std::string> value;
  QueryParams extra;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    auto k = url_decode(piece.substr(0, eq));
    if (!k) return k.error();
    std::string_view raw_v = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
    if (*k == "SAMLRequest") {
      if (value) return make_error("saml.bad_request", "SAMLRequest given twice");
      // '+' is a base64 character: an SDK that forgot to escape it must not have it turned into a space.
      auto v = url_decode(raw_v, /*plus_is_space=*/false);
      if (!v) return v.error();
      value = std::move(*v);
    } else {
      auto v = url_decode(raw_v);
      if (!v) return v.error();
      extra.emplace_back(std::move(*k), std::move(*v));
    }
  }
  if (!value) return make_error("saml.bad_request", "no SAMLRequest parameter");
  auto parsed = parse_saml_request_value(*value);
  if (!parsed) return parsed.error();
  parsed->extra_params = std::move(extra);
  return parsed;
}

}  // namespace mno::saml
