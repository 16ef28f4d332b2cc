// `tally saml verify` support: full validation at a chosen time with InResponseTo relaxed; see verify_tool.hpp.
#include "mno/sso/verify_tool.hpp"

#include "mno/saml/reason_codes.hpp"
#include "mno/util/iso8601.hpp"

namespace mno::sso {

std::string VerifyReport::text() const {
  std::string t;
  if (accepted) {
    t = "ACCEPTED\n";
    t += "  note: InResponseTo was not checked and no replay cache was used (diagnostic run)\n";
    if (assertion) {
      t += "  assertion_id: " + assertion->assertion_id + "\n";
      t += "  issuer: " + assertion->issuer + "\n";
      t += "  name_id: " + assertion->name_id + "\n";
      t += "  signature_method: " + assertion->signature_method + (assertion->legacy_sha1 ? " (legacy SHA-1)" : "") + "\n";
    }
    if (identity) {
      t += "  creation_mode: " + identity->creation_mode + "\n";
      t += "  user.uid: " + identity->user.uid + "\n";
      t += "  user.email: " + identity->user.email + "\n";
      t += "  user.name: " + identity->user.first_name + " " + identity->user.last_name + "\n";
      t += "  group.uid: " + identity->group.uid + "\n";
      t += "  group.name: " + identity->group.name + "\n";
      t += "  group.free_trial_end: " + format_iso8601(identity->group.free_trial_end) + "\n";
      t += "  membership.role: " + identity->membership.role + "\n";
      t += "  session.recheck: " + format_iso8601(identity->session.recheck) + "\n";
    }
  } else {
    t = "REJECTED " + reason_code + "\n  " + explanation + "\n";
    if (!message.empty()) t += "  detail: " + message + "\n";
  }
  return t;
}

VerifyReport verify_response(std::string_view input, const config::Marketplace& marketplace, std::optional<TimePoint> now,
                             const Clock& clock) {
  VerifyReport rep;
  auto reject = [&](const Error& e) {
    rep.accepted = false;
    rep.reason_code = e.code;
    rep.message = e.message;
    std::string_view ex = saml::explain_reason(e.code);
    if (e.code == "sso.missing_attribute") ex = "A required Maestrano attribute is missing from the assertion.";
    else if (e.code == "sso.ambiguous_attribute") ex = "A Maestrano attribute that must have one value has several.";
    else if (e.code == "sso.bad_time") ex = "mno_session_recheck or group_end_free_trial is not an ISO-8601 time.";
    else if (e.code == "sso.creation_mode") ex = "The marketplace's sso.creation_mode is neither real nor virtual.";
    rep.explanation = std::string(ex);
    return rep;
  };
  auto validator = saml::ResponseValidator::create(marketplace, clock, nullptr);
  if (!validator) return reject(validator.error());
  size_t first = input.find_first_not_of(" \t\r\n");
  bool raw_xml = first != std::string_view::npos && input[first] == '<';
  auto result = raw_xml ? (*validator)->validate_xml(input.substr(first), saml::InResponseToCheck::relaxed(), now)
                        : (*validator)->validate(input, saml::InResponseToCheck::relaxed(), now);
  if (!result) return reject(result.error());
  rep.assertion = *result;
  auto identity = identity_from_assertion(*result, marketplace);
  if (!identity) return reject(identity.error());
  rep.identity = std::move(*identity);
  rep.accepted = true;
  return rep;
}

}  // namespace mno::sso
