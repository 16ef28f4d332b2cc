// Support for `tally saml verify --marketplace NAME [--now ISO] FILE`: runs the full validator on a
// response file (base64 or raw XML) with InResponseTo checking explicitly relaxed and no replay cache,
// at a chosen time, and explains the verdict in words an integrator can act on.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include "mno/config/marketplace.hpp"
#include "mno/sso/identity.hpp"
#include "mno/util/clock.hpp"

namespace mno::sso {

struct VerifyReport {
  bool accepted = false;
  std::string reason_code;  // "" when accepted
  std::string explanation;  // human explanation of the reason code
  std::string message;      // the validator's detail message (safe to print)
  std::optional<saml::ValidatedAssertion> assertion;  // when the SAML layer accepted it
  std::optional<Identity> identity;                   // when the identity could be built too
  // Multi-line text for the terminal: "ACCEPTED\n uid: ...\n" or "REJECTED saml.expired\n <explanation>\n".
  std::string text() const;
};

// input: file content; raw XML if it starts with '<' (after whitespace), else base64.
// now: the time to validate at (default: the clock's now). An identity failure (sso.*) rejects too.
VerifyReport verify_response(std::string_view input, const config::Marketplace& marketplace,
                             std::optional<TimePoint> now = std::nullopt, const Clock& clock = SystemClock::instance());

}  // namespace mno::sso
