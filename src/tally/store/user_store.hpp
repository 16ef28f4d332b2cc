// SQL for the users table. The password hash never leaves the store/AccountService pair: the
// domain User only says whether one is set.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/user.hpp"

namespace tally::store {

struct UserRecord {
  User user;
  std::optional<std::string> password_hash;
};

// email_normalized must be normalize_email(email). A taken email → db.constraint.
mno::Result<UserRecord> insert_user(mno::db::Connection& tx, const std::string& email,
                                    const std::string& email_normalized, const std::string& first_name,
                                    const std::string& last_name, const std::optional<std::string>& password_hash,
                                    const std::string& now);
mno::Result<std::optional<UserRecord>> find_user(mno::db::Connection& tx, int64_t id, bool lock = false);
mno::Result<std::optional<UserRecord>> find_user_by_email(mno::db::Connection& tx, const std::string& email_normalized);
// Bumps the version; returns rows affected (0: no such user).
mno::Result<int64_t> update_password_hash(mno::db::Connection& tx, int64_t id, const std::string& password_hash,
                                          const std::string& now);

}  // namespace tally::store
