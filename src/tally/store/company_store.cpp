// See company_store.hpp.
#include "tally/store/company_store.hpp"

#include <stdexcept>

namespace tally::store {
namespace {

constexpr const char* kColumns =
    "id, name, currency, timezone, country, status, marketplace, external_uid, trial_ends_at, created_at, "
    "updated_at, version";

Company from_row(const mno::db::Row& r) {
  Company c;
  c.id = r.i64("id");
  c.name = r.text("name");
  c.currency = r.text("currency");
  c.timezone = r.text("timezone");
  c.country = r.text("country");
  // The CHECK constraint guarantees a known status.
  c.status = parse_company_status(r.text("status")).value_or(CompanyStatus::blocked);
  c.marketplace = r.opt_text("marketplace");
  c.external_uid = r.opt_text("external_uid");
  c.trial_ends_at = r.opt_text("trial_ends_at");
  c.created_at = r.text("created_at");
  c.updated_at = r.text("updated_at");
  c.version = r.i64("version");
  return c;
}

mno::Result<std::optional<Company>> one(mno::Result<std::optional<mno::db::Row>> r) {
  if (!r.ok()) return r.error();
  if (!*r) return std::optional<Company>{};
  return std::optional<Company>{from_row(**r)};
}

}  // namespace

mno::Result<Company> insert_company(mno::db::Connection& tx, const Company& c) {
  auto r = tx.query_one(std::string("INSERT INTO companies (name, currency, timezone, country, status, marketplace, "
                                    "external_uid, trial_ends_at, created_at, updated_at, version) "
                                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1) RETURNING ") +
                            kColumns,
                        {c.name, c.currency, c.timezone, c.country, to_string(c.status), c.marketplace, c.external_uid,
                         c.trial_ends_at, c.created_at});
  if (!r.ok()) return r.error();
  if (!*r) return mno::make_error("db.sql", "INSERT INTO companies returned no row");
  return from_row(**r);
}

mno::Result<std::optional<Company>> find_company(mno::db::Connection& tx, int64_t id, bool lock) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM companies WHERE id = $1";
  if (lock) sql += mno::db::for_update(tx.dialect());
  return one(tx.query_one(sql, {id}));
}

mno::Result<std::optional<Company>> find_company_by_external_uid(mno::db::Connection& tx, const std::string& marketplace,
                                                                 const std::string& external_uid) {
  return one(tx.query_one(
      std::string("SELECT ") + kColumns + " FROM companies WHERE marketplace = $1 AND external_uid = $2",
      {marketplace, external_uid}));
}

mno::Result<std::optional<Company>> update_company_settings(mno::db::Connection& tx, int64_t id,
                                                            const CompanySettings& s, int64_t expected_version,
                                                            const std::string& now) {
  return one(tx.query_one(
      std::string("UPDATE companies SET name = $1, currency = $2, timezone = $3, country = $4, updated_at = $5, "
                  "version = version + 1 WHERE id = $6 AND version = $7 RETURNING ") +
          kColumns,
      {s.name, s.currency, s.timezone, s.country, now, id, expected_version}));
}

mno::Result<std::optional<Company>> update_company_status(mno::db::Connection& tx, int64_t id, CompanyStatus status,
                                                          const std::optional<std::string>& trial_ends_at,
                                                          const std::string& now) {
  return one(tx.query_one(std::string("UPDATE companies SET status = $1, trial_ends_at = $2, updated_at = $3, "
                                      "version = version + 1 WHERE id = $4 RETURNING ") +
                              kColumns,
                          {to_string(status), trial_ends_at, now, id}));
}

}  // namespace tally::store
