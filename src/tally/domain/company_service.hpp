// CompanyService: the one place where companies are created and changed. Every committed change
// emits exactly one ChangeEvent (entity "company") through the injected ChangeSink inside the same
// transaction. The Connection& overloads run inside a caller's transaction (sign-up creates the
// user, the company and the membership in one); the others open their own.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/company.hpp"

namespace tally {

class CompanyService {
 public:
  CompanyService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink);

  // validation.failed (fields name/currency/timezone/country/status), or the created company (version 1).
  mno::Result<Company> create(const NewCompany& input);
  mno::Result<Company> create(mno::db::Connection& tx, const NewCompany& input);

  // record.not_found when no such company.
  mno::Result<Company> get(int64_t company_id);
  mno::Result<Company> get(mno::db::Connection& tx, int64_t company_id);
  // The company a marketplace provisioned with this group uid, if any (SSO).
  mno::Result<std::optional<Company>> find_by_external_uid(const std::string& marketplace, const std::string& external_uid);

  // Full replacement of the editable settings; expected_version is the version the user edited.
  // validation.failed, record.not_found, or record.stale (someone saved first).
  mno::Result<Company> update_settings(int64_t company_id, const CompanySettingsInput& input, int64_t expected_version);
  mno::Result<Company> update_settings(mno::db::Connection& tx, int64_t company_id, const CompanySettingsInput& input,
                                       int64_t expected_version);

  // Status changes come from the platform (billing, cancellation), so they do not take a version;
  // trial_ends_at is replaced by the given value (nullopt clears it). record.not_found.
  mno::Result<Company> set_status(int64_t company_id, CompanyStatus status,
                                  std::optional<std::string> trial_ends_at = std::nullopt);
  mno::Result<Company> set_status(mno::db::Connection& tx, int64_t company_id, CompanyStatus status,
                                  std::optional<std::string> trial_ends_at = std::nullopt);

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  ChangeSink& sink_;
};

}  // namespace tally
