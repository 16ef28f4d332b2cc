// See login_failure_store.hpp.
#include "tally/store/login_failure_store.hpp"

namespace tally::store {

mno::Status insert_login_failure(mno::db::Connection& tx, const std::string& scope, const std::string& subject,
                                 const std::string& failed_at) {
  auto r = tx.execute("INSERT INTO login_failures (scope, subject, failed_at) VALUES ($1, $2, $3)",
                      {scope, subject, failed_at});
  if (!r.ok()) return r.error();
  return {};
}

mno::Result<int64_t> count_login_failures_since(mno::db::Connection& tx, const std::string& scope,
                                                const std::string& subject, const std::string& since) {
  auto r = tx.query_one(
      "SELECT COUNT(*) AS n FROM login_failures WHERE scope = $1 AND subject = $2 AND failed_at > $3",
      {scope, subject, since});
  if (!r.ok()) return r.error();
  return *r ? (*r)->i64("n") : 0;
}

mno::Result<std::optional<std::string>> nth_login_failure_since(mno::db::Connection& tx, const std::string& scope,
                                                                const std::string& subject, const std::string& since,
                                                                int64_t offset) {
  auto r = tx.query_one(
      "SELECT failed_at FROM login_failures WHERE scope = $1 AND subject = $2 AND failed_at > $3 "
      "ORDER BY failed_at, id LIMIT 1 OFFSET $4",
      {scope, subject, since, offset});
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<std::string>{};
  return std::optional<std::string>{(*r)->text("failed_at")};
}

mno::Result<int64_t> delete_login_failures_before(mno::db::Connection& tx, const std::string& before,
                                                  const std::string& scope, const std::string& subject) {
  if (subject.empty()) return tx.execute("DELETE FROM login_failures WHERE failed_at <= $1", {before});
  return tx.execute("DELETE FROM login_failures WHERE scope = $1 AND subject = $2 AND failed_at <= $3",
                    {scope, subject, before});
}

mno::Result<int64_t> delete_login_failures_of(mno::db::Connection& tx, const std::string& scope,
                                              const std::string& subject) {
  return tx.execute("DELETE FROM login_failures WHERE scope = $1 AND subject = $2", {scope, subject});
}

}  // namespace tally::store
