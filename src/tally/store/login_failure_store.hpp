// SQL for login_failures: one row per failed login per scope ("email" or "ip"), read as a sliding
// window by LoginThrottle. Timestamps are ISO-8601 UTC text, which sorts chronologically.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"

namespace tally::store {

mno::Status insert_login_failure(mno::db::Connection& tx, const std::string& scope, const std::string& subject,
                                 const std::string& failed_at);
// Failures of the subject strictly after `since`.
mno::Result<int64_t> count_login_failures_since(mno::db::Connection& tx, const std::string& scope,
                                                const std::string& subject, const std::string& since);
// The failed_at of the (offset+1)-th oldest failure after `since`, if any.
mno::Result<std::optional<std::string>> nth_login_failure_since(mno::db::Connection& tx, const std::string& scope,
                                                                const std::string& subject, const std::string& since,
                                                                int64_t offset);
// Rows deleted. subject empty = every subject of every scope (purge); else that subject only.
mno::Result<int64_t> delete_login_failures_before(mno::db::Connection& tx, const std::string& before,
                                                  const std::string& scope = "", const std::string& subject = "");
mno::Result<int64_t> delete_login_failures_of(mno::db::Connection& tx, const std::string& scope,
                                              const std::string& subject);

}  // namespace tally::store
