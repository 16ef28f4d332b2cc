// See idp_response.hpp. Broken modes change one input (or one byte after signing) so that each maps
// to exactly one reason code of a strict SP (the table in idp_options.hpp).
#include "sandbox/idp_response.hpp"

#include "mno/util/base64.hpp"
#include "mno/util/iso8601.hpp"

namespace sandbox {

std::vector<std::pair<std::string, std::string>> assertion_attributes(const DirectoryUser& user, const UserGroup& group,
                                                                      mno::TimePoint recheck) {
  const auto& g = group.group;
  const std::string virtual_uid = user.uid + "." + g.uid;
  std::vector<std::pair<std::string, std::string>> a = {
      {"mno_uid", user.uid},
      {"mno_session", user.session_token},
      {"mno_session_recheck", mno::format_iso8601(recheck)},
      {"uid", user.uid},
      {"virtual_uid", virtual_uid},
      {"email", user.email},
      {"virtual_email", virtual_uid + "@" + kVirtualEmailDomain},
      {"name", user.first_name},
      {"surname", user.last_name},
      {"country", user.country},
      {"company_name", user.company_name},
      {"group_uid", g.uid},
      {"group_name", g.name},
      {"group_email", g.email},
      {"group_role", group.role},
      {"group_end_free_trial", g.free_trial_end},
      {"group_has_credit_card", g.has_credit_card ? "true" : "false"},
      {"group_currency", g.currency},
      {"group_timezone", g.timezone},
      {"group_country", g.country},
      {"group_city", g.city},
  };
  if (!g.org_uid.empty()) a.emplace_back("group_org_uid", g.org_uid);
  return a;
}

namespace {

// Signature wrapping (XSW3 shape): a forged, unsigned copy of the Assertion (new ID, another
// subject) placed before the signed one, hoping the SP reads the first and verifies the second.
void wrap_assertion(std::string& xml, mno::Random& random) {
  auto begin = xml.find("<Assertion ");
  auto end = xml.find("</Assertion>");
  if (begin == std::string::npos || end == std::string::npos) return;
  std::string forged = xml.substr(begin, end + 12 - begin);
  auto sig_begin = forged.find("<ds:Signature");
  auto sig_end = forged.find("</ds:Signature>");
  if (sig_begin != std::string::npos && sig_end != std::string::npos)
    forged.erase(sig_begin, sig_end + 15 - sig_begin);
  auto id = forged.find("ID=\"");
  if (id != std::string::npos) {
    auto close = forged.find('"', id + 4);
    forged.replace(id + 4, close - (id + 4), "_" + random.hex_token(16));
  }
  auto name_id = forged.find("<NameID");
  if (name_id != std::string::npos) {
    auto text = forged.find('>', name_id) + 1;
    auto text_end = forged.find("</NameID>", text);
    forged.replace(text, text_end - text, "usr-attacker");
  }
  xml.insert(begin, forged);
}

}  // namespace

mno::Result<IdpAnswer> build_idp_answer(const SandboxState& state, const MarketplaceRecord& market,
                                        const mno::saml::ParsedAuthnRequest& request, const DirectoryUser& user,
                                        const UserGroup& group, const IdpOptions& options,
                                        const std::string& other_key_pem, const mno::Clock& clock, mno::Random& random) {
  const auto described = state.describe(market);
  const mno::TimePoint now = clock.now() + std::chrono::seconds(options.clock_offset_seconds);

  mno::saml::ResponseParams p;
  p.issuer = mno::saml::idp_sso_url(described);
  p.destination = request.acs_url;
  p.recipient = request.acs_url;
  p.audience = market.app_id;
  p.in_response_to = request.id;
  p.name_id = user.uid;
  p.attributes = assertion_attributes(user, group, now + std::chrono::seconds(options.recheck_seconds));
  p.clock_offset = mno::Seconds(options.clock_offset_seconds);

  mno::saml::SigningOptions s;
  s.private_key_pem = market.idp_private_key_pem;
  s.certificate_pem = market.idp_certificate_pem;
  s.algorithm = options.algorithm;
  s.sign_response = options.sign_response;

  const BrokenMode broken = options.broken_remaining > 0 ? options.broken : BrokenMode::none;
  switch (broken) {
    case BrokenMode::none:
    case BrokenMode::bad_signature:
    case BrokenMode::wrapped_assertion:
      break;
    case BrokenMode::foreign_key:
      s.private_key_pem = other_key_pem;
      break;
    case BrokenMode::unsigned_assertion:
      s.sign_assertion = false;
      s.sign_response = false;
      break;
    case BrokenMode::expired:
      p.issue_instant = now - std::chrono::hours(2);
      break;
    case BrokenMode::not_yet_valid:
      p.issue_instant = now + std::chrono::hours(1);
      break;
    case BrokenMode::wrong_audience:
      p.audience = market.app_id + "-other";
      break;
    case BrokenMode::wrong_destination:
      p.destination = "https://wrong-destination.example/maestrano/auth/saml/consume";
      break;
    case BrokenMode::wrong_recipient:
      p.recipient = "https://wrong-recipient.example/maestrano/auth/saml/consume";
      break;
    case BrokenMode::wrong_issuer:
      p.issuer = "https://evil-idp.example/api/v1/auth/saml";
      break;
    case BrokenMode::wrong_in_response_to:
      p.in_response_to = "_" + random.hex_token(16);
      break;
    case BrokenMode::status_failure:
      p.status_code = "urn:oasis:names:tc:SAML:2.0:status:Requester";
      break;
  }

  auto built = mno::saml::build_signed_response(p, s, clock, random);
  if (!built) return built.error();
  IdpAnswer out{request.acs_url, built->base64, built->assertion_id, broken};
  if (broken == BrokenMode::bad_signature || broken == BrokenMode::wrapped_assertion) {
    std::string xml = built->xml;
    if (broken == BrokenMode::bad_signature) {
      // One signed character changes: the digest no longer matches.
      auto v = xml.find("<AttributeValue>");
      if (v != std::string::npos) xml.insert(v + 16, "X");
    } else {
      wrap_assertion(xml, random);
    }
    out.saml_response = mno::base64_encode(xml);
  }
  return out;
}

}  // namespace sandbox
