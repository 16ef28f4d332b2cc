// SQL for the companies table. Called only by CompanyService (and AccountService through it),
// always inside a transaction on the given Connection.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/company.hpp"

namespace tally::store {

// Inserts every field except id/version (version starts at 1); returns the stored row.
mno::Result<Company> insert_company(mno::db::Connection& tx, const Company& company);
// lock = true takes a row lock on PostgreSQL (FOR UPDATE) for read-modify-write.
mno::Result<std::optional<Company>> find_company(mno::db::Connection& tx, int64_t id, bool lock = false);
mno::Result<std::optional<Company>> find_company_by_external_uid(mno::db::Connection& tx, const std::string& marketplace,
                                                                 const std::string& external_uid);
// nullopt when no row matched id AND expected_version.
mno::Result<std::optional<Company>> update_company_settings(mno::db::Connection& tx, int64_t id,
                                                            const CompanySettings& settings, int64_t expected_version,
                                                            const std::string& now);
// nullopt when no such company.
mno::Result<std::optional<Company>> update_company_status(mno::db::Connection& tx, int64_t id, CompanyStatus status,
                                                          const std::optional<std::string>& trial_ends_at,
                                                          const std::string& now);

}  // namespace tally::store
