// The sandbox's platform directory: users, groups (customer accounts, each belonging to one
// marketplace's app instance) and memberships with roles, plus each user's SSO session token and
// the IdP login cookies. This is what the IdP signs into assertions (spec 3.4) and what the session
// check endpoint answers from (spec 3.8). Stored in the sandbox state database (migrations 2-3).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace sandbox {

struct DirectoryUser {
  std::string uid;  // usr-… (never contains '.': spec 3.7 masks split on the first dot)
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string country;       // ISO 3166-1 alpha-2
  std::string company_name;  // typed at sign-up (not a group name)
  std::string session_token; // mno_session (36 chars); regenerated to force single logout
  bool session_valid = true; // off: every session check answers invalid
};

struct DirectoryGroup {
  std::string uid;          // cld-…
  std::string marketplace;  // the marketplace (app instance) the group belongs to
  std::string name;
  std::string email;        // principal (admin) email
  std::string currency;     // ISO 4217
  std::string timezone;     // Olson name
  std::string country;      // ISO 3166-1 alpha-2
  std::string city;
  std::string org_uid;      // group_org_uid; "" = attribute not sent
  std::string free_trial_end;  // ISO 8601 UTC
  bool has_credit_card = false;
};

struct DirectoryMembership {
  std::string user_uid;
  std::string group_uid;
  std::string role;  // Member, Power User, Admin, Super Admin
};

// A group of one user together with the user's role in it.
struct UserGroup {
  DirectoryGroup group;
  std::string role;
};

// The four platform roles (spec 3.4), in increasing power.
const std::vector<std::string>& directory_roles();
bool is_valid_role(std::string_view role);

// New records: uid "" = the next free usr-N / cld-N. Validation errors are directory.invalid_field
// (the message names the field); a duplicate uid is directory.duplicate; unknown references are
// directory.unknown_user / directory.unknown_group / directory.unknown_marketplace.
struct NewUser {
  std::string uid, first_name, last_name, email, country, company_name;
};
struct NewGroup {
  std::string uid, marketplace, name, email, currency = "USD", timezone = "UTC", country, city, org_uid;
  std::string free_trial_end;  // "" = now + 30 days
  bool has_credit_card = false;
};

class Directory {
 public:
  Directory(std::shared_ptr<mno::db::Database> db, const mno::Clock& clock, mno::Random& random);

  mno::Result<std::vector<DirectoryUser>> users() const;
  mno::Result<std::optional<DirectoryUser>> user(const std::string& uid) const;
  mno::Result<DirectoryUser> create_user(NewUser u);

  // marketplace "" = every group.
  mno::Result<std::vector<DirectoryGroup>> groups(const std::string& marketplace = "") const;
  mno::Result<std::optional<DirectoryGroup>> group(const std::string& uid) const;
  mno::Result<DirectoryGroup> create_group(NewGroup g);

  mno::Result<std::vector<DirectoryMembership>> memberships() const;
  // Adds the membership or changes its role.
  mno::Status set_membership(const std::string& user_uid, const std::string& group_uid, const std::string& role);
  // directory.unknown_membership when absent.
  mno::Status remove_membership(const std::string& user_uid, const std::string& group_uid);
  // The user's groups that belong to this marketplace, ordered by group uid.
  mno::Result<std::vector<UserGroup>> groups_of(const std::string& user_uid, const std::string& marketplace) const;

  // A fresh session token: the app's next re-check answers invalid (single logout).
  mno::Result<std::string> regenerate_session(const std::string& user_uid);
  mno::Status set_session_valid(const std::string& user_uid, bool valid);
  // spec 3.8: id may be a uid, a virtual uid or a virtual email (the part before the first '.').
  // True when the user exists, the token is the current one and session_valid is on.
  mno::Result<bool> session_is_valid(std::string_view id, std::string_view token) const;

  // IdP login cookies: an opaque token naming the signed-in user (browser sessions at the IdP).
  mno::Result<std::string> create_login(const std::string& user_uid);
  mno::Result<std::optional<std::string>> login_user(const std::string& token) const;
  mno::Status end_login(const std::string& token);
  mno::Status end_logins_of(const std::string& user_uid);

 private:
  std::shared_ptr<mno::db::Database> db_;
  const mno::Clock& clock_;
  mno::Random& random_;
};

// Writes the deterministic demo directory (docs/sandbox.md) for the seeded marketplaces; called by
// SandboxState's seed inside its transaction. Session tokens come from random.
mno::Status seed_directory(mno::db::Connection& c, mno::Random& random);
// Removes every user, group, membership, login and IdP option (before a reseed).
mno::Status clear_directory(mno::db::Connection& c);

}  // namespace sandbox
