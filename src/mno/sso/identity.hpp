// Who logged in: the user, the group (company) and the membership built from a validated assertion,
// exactly as spec 3.4/3.6 define them, with the real/virtual creation modes of 3.7. Values come only
// from ValidatedAssertion (i.e. from the verified Assertion). Error codes:
//   sso.missing_attribute    a required attribute is absent or empty (message names the attribute)
//   sso.ambiguous_attribute  a single-valued attribute carries several AttributeValue elements
//   sso.bad_time             mno_session_recheck or group_end_free_trial is not a strict ISO-8601 time
//   sso.creation_mode        sso.creation_mode is neither "real" nor "virtual"
#pragma once
#include <string>
#include <string_view>
#include "mno/config/marketplace.hpp"
#include "mno/saml/response_validator.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::sso {

struct User {
  std::string uid;            // local identity: uid (real) or virtual_uid (virtual)
  std::string email;          // email (real) or virtual_email (virtual)
  std::string first_name;     // name
  std::string last_name;      // surname
  std::string country;        // user country (ISO 3166-1 alpha-2), may be empty
  std::string company_name;   // typed at sign-up (not the group name), may be empty
  std::string real_uid;       // uid
  std::string virtual_uid;    // may be empty in real mode
  std::string real_email;     // email
  std::string virtual_email;  // may be empty in real mode
};

struct Group {
  std::string uid;            // group_uid
  std::string name;           // group_name
  std::string email;          // group_email
  std::string currency;       // group_currency (ISO 4217)
  std::string timezone;       // group_timezone (Olson)
  // group_country; falls back to the user's country when absent (Ruby used the user's country, the
  // other SDKs group_country: spec 3.6).
  std::string country;
  std::string city;           // group_city
  std::string org_uid;        // group_org_uid
  std::string company_name;   // company_name
  bool has_credit_card = false;  // group_has_credit_card == "true"
  TimePoint free_trial_end{};    // group_end_free_trial (required, strict ISO-8601)
};

struct Membership {
  std::string group_uid;
  std::string user_uid;  // always the REAL uid (spec 3.6)
  std::string role;      // group_role: Member, Power User, Admin, Super Admin, (sandbox) Guest
};

// The Maestrano session the app keeps server-side after login (spec 3.8).
struct MnoSession {
  std::string marketplace;  // preset name
  std::string uid;          // real uid
  std::string token;        // mno_session
  TimePoint recheck{};      // mno_session_recheck: when to ask the platform again
  std::string group_uid;
};

struct Identity {
  std::string creation_mode;  // "real" | "virtual"
  User user;
  Group group;
  Membership membership;
  MnoSession session;
};

// Required: uid, email, group_uid, group_role, mno_session, mno_session_recheck, group_end_free_trial;
// in virtual mode also virtual_uid and virtual_email. Other attributes are optional ("" when absent).
Result<Identity> identity_from_assertion(const saml::ValidatedAssertion& assertion, const config::Marketplace& marketplace);

// spec 3.7: the part before the first '.'; mask = unmask(uid) + "." + group_uid in virtual mode, else unmask(uid).
std::string unmask_user(std::string_view uid);
std::string mask_user(std::string_view uid, std::string_view group_uid, std::string_view creation_mode);

}  // namespace mno::sso
