// SsoProvisioning: turns a validated marketplace identity (mno::sso::Identity) into local records, in
// ONE transaction so a failure leaves nothing half-created (checklist 1.2 to 1.4):
//   1.2.1 unknown group uid in this marketplace → a company (group name, currency, timezone, country,
//         free-trial end; status trialing while the trial runs, else active);
//   1.2.2/1.2.3 unknown user uid → a user (names, email, no password) linked to the uid, with a
//         membership of the platform role in the known or new company;
//   1.3.1 known uid → that user; names/email refreshed (an email taken by another user is kept as it
//         was, with a log line), the role follows the platform, a revoked membership is re-activated;
//   1.4.1 migration: an unknown uid whose email matches exactly one local user (case-insensitive) who is
//         not yet linked to another uid of this marketplace → the uid is linked to that user. Otherwise
//         a new user is created; when the email is taken, it gets a placeholder address
//         "<uid>.<marketplace>@sso.invalid" (RFC 2606 .invalid: never deliverable, never colliding)
//         and a log line says why.
// Unknown platform roles (the ref sandbox sends "Guest") become Member, the least privilege.
// Invalid company settings from the platform fall back to safe defaults (currency USD, timezone UTC,
// no country) rather than refusing the login; each fallback is logged.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/sso/identity.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/company.hpp"
#include "tally/domain/company_service.hpp"
#include "tally/domain/role.hpp"
#include "tally/domain/user.hpp"

namespace tally {

struct SsoProvisioned {
  std::string marketplace;
  User user;
  Company company;
  Role role = Role::member;
  bool company_created = false;  // first SSO of this group: billing and the Connec! import start here
  bool user_created = false;
  bool linked_by_email = false;  // 1.4.1 migration of an existing local user
};

class SsoProvisioning {
 public:
  SsoProvisioning(mno::db::Database& db, const mno::Clock& clock, CompanyService& companies);

  // Error codes: sso.provisioning (what was wrong in the message), validation.failed, db.*.
  mno::Result<SsoProvisioned> provision(const std::string& marketplace, const mno::sso::Identity& identity);

  // Test seam: runs inside the transaction after every write; an error rolls everything back.
  using BeforeCommit = std::function<mno::Status(mno::db::Connection&, const SsoProvisioned&)>;
  void set_before_commit(BeforeCommit hook) { before_commit_ = std::move(hook); }

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  CompanyService& companies_;
  BeforeCommit before_commit_;
};

// The placeholder email of a new SSO user whose platform email belongs to another local user.
std::string placeholder_sso_email(const std::string& marketplace, const std::string& uid);

}  // namespace tally
