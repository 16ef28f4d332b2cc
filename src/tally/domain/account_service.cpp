// See account_service.hpp. Password hashing and verification (deliberately slow) always happen
// outside database transactions, so they neither hold SQLite's writer lock nor repeat on retries.
#include "tally/domain/account_service.hpp"

#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "tally/domain/ascii_text.hpp"
#include "tally/store/company_store.hpp"
#include "tally/store/membership_store.hpp"
#include "tally/store/user_store.hpp"

namespace tally {
namespace {

mno::Error invalid_credentials() {
  return mno::make_error("auth.invalid_credentials", "Email or password is incorrect");
}
mno::Error user_not_found() { return mno::make_error("record.not_found", "This user does not exist."); }
mno::Error forbidden(std::string message) { return mno::make_error("auth.forbidden", std::move(message)); }
mno::Error field_error(const std::string& field, const std::string& message) {
  FieldErrors e;
  e.add(field, message);
  return e.to_error();
}

bool is_unique_violation(const mno::Error& e) { return e.code == "db.constraint"; }

// Names are free text but bounded, so a form cannot store megabytes.
void validate_name(const std::string& value, const char* field, FieldErrors& errors, bool required) {
  if (required && value.empty())
    errors.add(field, "is required");
  else if (value.size() > 100)
    errors.add(field, "must be at most 100 characters");
}

// The actor's active role in the company, checked for team management.
mno::Result<Role> team_manager_role(mno::db::Connection& tx, int64_t actor_user_id, int64_t company_id) {
  auto m = store::find_membership(tx, actor_user_id, company_id);
  if (!m.ok()) return m.error();
  if (!*m || (*m)->status != MembershipStatus::active || !can_manage_team((*m)->role))
    return forbidden("Only an Admin or Super Admin can manage the team.");
  return (*m)->role;
}

}  // namespace

AccountService::AccountService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink,
                               const PasswordHasher& hasher, ThrottlePolicy throttle)
    : db_(db), clock_(clock), hasher_(hasher), companies_(db, clock, sink), throttle_(db, clock, throttle) {}

mno::Result<SignUpResult> AccountService::sign_up(const SignUpInput& in) {
  FieldErrors errors;
  const std::string email = ascii::trim(in.email);
  const std::string email_key = normalize_email(email);
  const std::string first = ascii::trim(in.first_name);
  const std::string last = ascii::trim(in.last_name);
  if (email.empty())
    errors.add("email", "is required");
  else if (!is_valid_email(email))
    errors.add("email", "must be a valid email address");
  if (in.password.empty())
    errors.add("password", "is required");
  else if (auto p = password_policy_error(in.password))
    errors.add("password", *p);
  validate_name(first, "first_name", errors, true);
  validate_name(last, "last_name", errors, true);
  CompanySettingsInput company_in{in.company_name, in.currency, in.timezone, in.country};
  FieldErrors company_errors;
  (void)validate_company_settings(company_in, company_errors);
  for (const auto& [f, m] : company_errors.fields) errors.add(f == "name" ? "company_name" : f, m);

  // A taken email is reported with the other field errors (before the costly hash).
  if (errors.fields.count("email") == 0) {
    auto existing = find_user_by_email(email);
    if (!existing.ok()) return existing.error();
    if (*existing) errors.add("email", "is already registered");
  }
  if (!errors.empty()) return errors.to_error();

  auto hash = hasher_.hash(in.password);
  if (!hash.ok()) return hash.error();

  auto result = db_.transact([&](mno::db::Connection& tx) -> mno::Result<SignUpResult> {
    const std::string now = mno::format_iso8601(clock_.now());
    auto user = store::insert_user(tx, email, email_key, first, last, *hash, now);
    if (!user.ok()) return user.error();
    auto company = companies_.create(tx, NewCompany{company_in, CompanyStatus::active, {}, {}, {}});
    if (!company.ok()) return company.error();
    auto m = store::insert_membership(tx, user->user.id, company->id, Role::super_admin, now);
    if (!m.ok()) return m.error();
    return SignUpResult{user->user, *company, Role::super_admin};
  });
  // Someone registered the same email between the check and the insert.
  if (!result.ok() && is_unique_violation(result.error())) {
    auto existing = find_user_by_email(email);
    if (existing.ok() && *existing) return field_error("email", "is already registered");
  }
  if (result.ok())
    mno::log::info("account.signed_up",
                   {{"user_id", std::to_string(result->user.id)}, {"company_id", std::to_string(result->company.id)}});
  return result;
}

mno::Result<User> AccountService::authenticate(const std::string& email, const std::string& password,
                                               const std::string& remote_ip) {
  if (auto t = throttle_.check(email, remote_ip); !t.ok()) {
    if (t.error().code == "auth.throttled") mno::log::warn("account.login_throttled", {{"ip", remote_ip}});
    return t.error();
  }
  const std::string key = normalize_email(email);
  auto rec = db_.transact([&](mno::db::Connection& tx) { return store::find_user_by_email(tx, key); },
                          mno::db::TxKind::read);
  if (!rec.ok()) return rec.error();

  bool ok = false;
  if (*rec && (*rec)->password_hash) {
    ok = hasher_.verify(*(*rec)->password_hash, password);
  } else {
    hasher_.dummy_verify(password);  // same cost as a real verification: timing reveals nothing
  }
  if (ok && (*rec)->user.status != UserStatus::active) ok = false;

  if (!ok) {
    if (auto s = throttle_.record_failure(key, remote_ip); !s.ok()) return s.error();
    mno::log::info("account.login_failed", {{"ip", remote_ip}});
    return invalid_credentials();
  }
  if (auto s = throttle_.clear_email(key); !s.ok()) return s.error();
  User user = (*rec)->user;
  // Upgrade hashes made with older (weaker) limits while the plaintext is at hand.
  if (hasher_.needs_rehash(*(*rec)->password_hash)) {
    if (auto h = hasher_.hash(password); h.ok()) {
      (void)db_.transact([&](mno::db::Connection& tx) {
        return store::update_password_hash(tx, user.id, *h, mno::format_iso8601(clock_.now()));
      });
    }
  }
  mno::log::info("account.login", {{"user_id", std::to_string(user.id)}});
  return user;
}

mno::Status AccountService::change_password(int64_t user_id, const std::string& current_password,
                                            const std::string& new_password) {
  auto rec = db_.transact([&](mno::db::Connection& tx) { return store::find_user(tx, user_id); },
                          mno::db::TxKind::read);
  if (!rec.ok()) return rec.error();
  if (!*rec) return user_not_found();
  FieldErrors errors;
  if (!(*rec)->password_hash || !hasher_.verify(*(*rec)->password_hash, current_password))
    errors.add("current_password", "is incorrect");
  if (auto p = password_policy_error(new_password)) errors.add("new_password", *p);
  if (!errors.empty()) return errors.to_error();
  auto hash = hasher_.hash(new_password);
  if (!hash.ok()) return hash.error();
  auto n = db_.transact([&](mno::db::Connection& tx) {
    return store::update_password_hash(tx, user_id, *hash, mno::format_iso8601(clock_.now()));
  });
  if (!n.ok()) return n.error();
  if (*n == 0) return user_not_found();
  mno::log::info("account.password_changed", {{"user_id", std::to_string(user_id)}});
  return {};
}

mno::Status AccountService::set_password(int64_t user_id, const std::string& new_password) {
  auto rec = db_.transact([&](mno::db::Connection& tx) { return store::find_user(tx, user_id); },
                          mno::db::TxKind::read);
  if (!rec.ok()) return rec.error();
  if (!*rec) return user_not_found();
  if ((*rec)->password_hash)
    return mno::make_error("auth.password_already_set",
                           "This account already has a password; use change password instead.");
  if (auto p = password_policy_error(new_password)) return field_error("new_password", *p);
  auto hash = hasher_.hash(new_password);
  if (!hash.ok()) return hash.error();
  return db_.transaction([&](mno::db::Connection& tx) -> mno::Status {
    // Re-check under the write lock: a concurrent set_password must not silently win twice.
    auto again = store::find_user(tx, user_id, true);
    if (!again.ok()) return again.error();
    if (!*again) return user_not_found();
    if ((*again)->password_hash)
      return mno::make_error("auth.password_already_set",
                             "This account already has a password; use change password instead.");
    auto n = store::update_password_hash(tx, user_id, *hash, mno::format_iso8601(clock_.now()));
    if (!n.ok()) return n.error();
    return {};
  });
}

mno::Result<User> AccountService::get_user(int64_t user_id) {
  auto rec = db_.transact([&](mno::db::Connection& tx) { return store::find_user(tx, user_id); },
                          mno::db::TxKind::read);
  if (!rec.ok()) return rec.error();
  if (!*rec) return user_not_found();
  return (*rec)->user;
}

mno::Result<std::optional<User>> AccountService::find_user_by_email(const std::string& email) {
  const std::string key = normalize_email(email);
  auto rec = db_.transact([&](mno::db::Connection& tx) { return store::find_user_by_email(tx, key); },
                          mno::db::TxKind::read);
  if (!rec.ok()) return rec.error();
  if (!*rec) return std::optional<User>{};
  return std::optional<User>{(*rec)->user};
}

mno::Result<std::vector<CompanyAccess>> AccountService::memberships_of(int64_t user_id) {
  return db_.transact(
      [&](mno::db::Connection& tx) -> mno::Result<std::vector<CompanyAccess>> {
        auto u = store::find_user(tx, user_id);
        if (!u.ok()) return u.error();
        if (!*u || (*u)->user.status != UserStatus::active) return std::vector<CompanyAccess>{};
        return store::list_company_access(tx, user_id);
      },
      mno::db::TxKind::read);
}

mno::Result<Role> AccountService::membership(int64_t user_id, int64_t company_id) {
  return db_.transact(
      [&](mno::db::Connection& tx) -> mno::Result<Role> {
        auto m = store::find_membership(tx, user_id, company_id);
        if (!m.ok()) return m.error();
        if (!*m) return mno::make_error("record.not_found", "This company does not exist.");
        auto c = store::find_company(tx, company_id);
        if (!c.ok()) return c.error();
        if (!*c) return mno::make_error("record.not_found", "This company does not exist.");
        if ((*m)->status != MembershipStatus::active) return forbidden("You no longer have access to this company.");
        if (!is_usable((*c)->status)) return forbidden("This company's account is " + std::string(to_string((*c)->status)) + ".");
        auto u = store::find_user(tx, user_id);
        if (!u.ok()) return u.error();
        if (!*u || (*u)->user.status != UserStatus::active) return forbidden("This user account is disabled.");
        return (*m)->role;
      },
      mno::db::TxKind::read);
}

mno::Result<std::vector<Member>> AccountService::members(int64_t company_id, bool include_revoked) {
  return db_.transact([&](mno::db::Connection& tx) { return store::list_members(tx, company_id, include_revoked); },
                      mno::db::TxKind::read);
}

mno::Status AccountService::set_role(int64_t actor_user_id, int64_t company_id, int64_t target_user_id, Role role) {
  return db_.transaction([&](mno::db::Connection& tx) -> mno::Status {
    // Locking the company row serialises team changes per company, so two concurrent demotions
    // cannot both see "another Super Admin remains".
    auto c = store::find_company(tx, company_id, true);
    if (!c.ok()) return c.error();
    if (!*c) return mno::make_error("record.not_found", "This company does not exist.");
    auto actor_role = team_manager_role(tx, actor_user_id, company_id);
    if (!actor_role.ok()) return actor_role.error();
    auto target = store::find_membership(tx, target_user_id, company_id);
    if (!target.ok()) return target.error();
    if (!*target || (*target)->status != MembershipStatus::active)
      return mno::make_error("record.not_found", "This person is not a member of the company.");
    const Role old_role = (*target)->role;
    if (old_role == role) return {};
    if ((role == Role::super_admin || old_role == Role::super_admin) && *actor_role != Role::super_admin)
      return forbidden("Only a Super Admin can grant or remove the Super Admin role.");
    if (old_role == Role::super_admin) {
      auto n = store::count_active_super_admins(tx, company_id);
      if (!n.ok()) return n.error();
      if (*n <= 1)
        return mno::make_error("record.in_use",
                               "The company must keep at least one Super Admin; make someone else Super Admin first.");
    }
    auto n = store::update_membership(tx, (*target)->id, role, MembershipStatus::active,
                                      mno::format_iso8601(clock_.now()));
    if (!n.ok()) return n.error();
    return {};
  });
}

mno::Result<Member> AccountService::add_member(int64_t actor_user_id, int64_t company_id, const std::string& email,
                                               Role role) {
  const std::string key = normalize_email(email);
  return db_.transact([&](mno::db::Connection& tx) -> mno::Result<Member> {
    auto c = store::find_company(tx, company_id, true);
    if (!c.ok()) return c.error();
    if (!*c) return mno::make_error("record.not_found", "This company does not exist.");
    auto actor_role = team_manager_role(tx, actor_user_id, company_id);
    if (!actor_role.ok()) return actor_role.error();
    if (role == Role::super_admin && *actor_role != Role::super_admin)
      return forbidden("Only a Super Admin can grant or remove the Super Admin role.");
    if (key.empty()) return field_error("email", "is required");
    auto user = store::find_user_by_email(tx, key);
    if (!user.ok()) return user.error();
    if (!*user) return field_error("email", "no user with this email; they must sign up first");
    const int64_t uid = (*user)->user.id;
    auto existing = store::find_membership(tx, uid, company_id, true);
    if (!existing.ok()) return existing.error();
    const std::string now = mno::format_iso8601(clock_.now());
    if (*existing) {
      if ((*existing)->status == MembershipStatus::active) return field_error("email", "is already a member");
      auto n = store::update_membership(tx, (*existing)->id, role, MembershipStatus::active, now);
      if (!n.ok()) return n.error();
    } else {
      auto m = store::insert_membership(tx, uid, company_id, role, now);
      if (!m.ok()) return m.error();
    }
    auto member = store::find_member(tx, company_id, uid);
    if (!member.ok()) return member.error();
    if (!*member) return mno::make_error("db.sql", "membership vanished after insert");
    return std::move(**member);
  });
}

mno::Status AccountService::revoke_member(int64_t actor_user_id, int64_t company_id, int64_t target_user_id) {
  return db_.transaction([&](mno::db::Connection& tx) -> mno::Status {
    auto c = store::find_company(tx, company_id, true);
    if (!c.ok()) return c.error();
    if (!*c) return mno::make_error("record.not_found", "This company does not exist.");
    auto actor_role = team_manager_role(tx, actor_user_id, company_id);
    if (!actor_role.ok()) return actor_role.error();
    auto target = store::find_membership(tx, target_user_id, company_id);
    if (!target.ok()) return target.error();
    if (!*target || (*target)->status != MembershipStatus::active)
      return mno::make_error("record.not_found", "This person is not a member of the company.");
    if ((*target)->role == Role::super_admin) {
      if (*actor_role != Role::super_admin)
        return forbidden("Only a Super Admin can grant or remove the Super Admin role.");
      auto n = store::count_active_super_admins(tx, company_id);
      if (!n.ok()) return n.error();
      if (*n <= 1)
        return mno::make_error("record.in_use",
                               "The company must keep at least one Super Admin; make someone else Super Admin first.");
    }
    auto n = store::update_membership(tx, (*target)->id, (*target)->role, MembershipStatus::revoked,
                                      mno::format_iso8601(clock_.now()));
    if (!n.ok()) return n.error();
    return {};
  });
}

}  // namespace tally
