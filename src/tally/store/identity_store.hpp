// SQL for user_identities: which local user a marketplace user uid (real or virtual, per the
// marketplace's creation mode) is, plus the few user-row writes SSO needs (profile refresh). Called
// only by SsoProvisioning, always inside its transaction on the given Connection.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"

namespace tally::store {

// The local user linked to (marketplace, uid), if any.
mno::Result<std::optional<int64_t>> find_user_by_identity(mno::db::Connection& tx, const std::string& marketplace,
                                                          const std::string& uid);
// The uid this user is linked to in this marketplace, if any (a user has at most one per marketplace
// in practice; the first by id is returned).
mno::Result<std::optional<std::string>> find_identity_of_user(mno::db::Connection& tx, const std::string& marketplace,
                                                              int64_t user_id);
// A (marketplace, uid) already linked → db.constraint.
mno::Status insert_identity(mno::db::Connection& tx, const std::string& marketplace, const std::string& uid,
                            int64_t user_id, const std::string& now);
// Users whose normalised email equals email_normalized (at most one while emails are unique; a
// list so the migration rule "exactly one match" stays explicit).
mno::Result<std::vector<int64_t>> find_user_ids_by_email(mno::db::Connection& tx, const std::string& email_normalized);
// Replaces email (and its normalised key) and names, bumps the version. Rows affected.
mno::Result<int64_t> update_user_profile(mno::db::Connection& tx, int64_t user_id, const std::string& email,
                                         const std::string& email_normalized, const std::string& first_name,
                                         const std::string& last_name, const std::string& now);

}  // namespace tally::store
