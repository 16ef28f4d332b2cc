// See company_service.hpp.
#include "tally/domain/company_service.hpp"

#include "mno/util/iso8601.hpp"
#include "tally/store/company_store.hpp"

namespace tally {
namespace {

mno::Error not_found() { return mno::make_error("record.not_found", "This company does not exist."); }

}  // namespace

CompanyService::CompanyService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink)
    : db_(db), clock_(clock), sink_(sink) {}

mno::Result<Company> CompanyService::create(const NewCompany& input) {
  return db_.transact([&](mno::db::Connection& tx) { return create(tx, input); });
}

mno::Result<Company> CompanyService::create(mno::db::Connection& tx, const NewCompany& input) {
  FieldErrors errors;
  CompanySettings s = validate_company_settings(input.settings, errors);
  if (input.trial_ends_at && !mno::parse_iso8601(*input.trial_ends_at).ok())
    errors.add("trial_ends_at", "must be an ISO-8601 time");
  if (!errors.empty()) return errors.to_error();

  Company c;
  c.name = s.name;
  c.currency = s.currency;
  c.timezone = s.timezone;
  c.country = s.country;
  c.status = input.status;
  c.marketplace = input.marketplace;
  c.external_uid = input.external_uid;
  c.trial_ends_at = input.trial_ends_at;
  c.created_at = c.updated_at = mno::format_iso8601(clock_.now());
  auto stored = store::insert_company(tx, c);
  if (!stored.ok()) return stored.error();
  if (auto e = sink_.on_change(tx, {stored->id, "company", stored->id, ChangeKind::created, stored->version});
      !e.ok())
    return e.error();
  return stored;
}

mno::Result<Company> CompanyService::get(int64_t company_id) {
  return db_.transact([&](mno::db::Connection& tx) { return get(tx, company_id); }, mno::db::TxKind::read);
}

mno::Result<Company> CompanyService::get(mno::db::Connection& tx, int64_t company_id) {
  auto c = store::find_company(tx, company_id);
  if (!c.ok()) return c.error();
  if (!*c) return not_found();
  return std::move(**c);
}

mno::Result<std::optional<Company>> CompanyService::find_by_external_uid(const std::string& marketplace,
                                                                         const std::string& external_uid) {
  return db_.transact(
      [&](mno::db::Connection& tx) { return store::find_company_by_external_uid(tx, marketplace, external_uid); },
      mno::db::TxKind::read);
}

mno::Result<Company> CompanyService::update_settings(int64_t company_id, const CompanySettingsInput& input,
                                                     int64_t expected_version) {
  return db_.transact(
      [&](mno::db::Connection& tx) { return update_settings(tx, company_id, input, expected_version); });
}

mno::Result<Company> CompanyService::update_settings(mno::db::Connection& tx, int64_t company_id,
                                                     const CompanySettingsInput& input, int64_t expected_version) {
  FieldErrors errors;
  CompanySettings s = validate_company_settings(input, errors);
  if (!errors.empty()) return errors.to_error();
  auto updated = store::update_company_settings(tx, company_id, s, expected_version, mno::format_iso8601(clock_.now()));
  if (!updated.ok()) return updated.error();
  if (!*updated) {
    auto existing = store::find_company(tx, company_id);
    if (!existing.ok()) return existing.error();
    if (!*existing) return not_found();
    return mno::make_error("record.stale",
                           "The company settings were changed by someone else since you opened them; reload to see "
                           "their changes.");
  }
  const Company& c = **updated;
  if (auto e = sink_.on_change(tx, {c.id, "company", c.id, ChangeKind::updated, c.version}); !e.ok()) return e.error();
  return std::move(**updated);
}

mno::Result<Company> CompanyService::set_status(int64_t company_id, CompanyStatus status,
                                                std::optional<std::string> trial_ends_at) {
  return db_.transact([&](mno::db::Connection& tx) { return set_status(tx, company_id, status, trial_ends_at); });
}

mno::Result<Company> CompanyService::set_status(mno::db::Connection& tx, int64_t company_id, CompanyStatus status,
                                                std::optional<std::string> trial_ends_at) {
  if (trial_ends_at && !mno::parse_iso8601(*trial_ends_at).ok()) {
    FieldErrors errors;
    errors.add("trial_ends_at", "must be an ISO-8601 time");
    return errors.to_error();
  }
  auto updated =
      store::update_company_status(tx, company_id, status, trial_ends_at, mno::format_iso8601(clock_.now()));
  if (!updated.ok()) return updated.error();
  if (!*updated) return not_found();
  const Company& c = **updated;
  if (auto e = sink_.on_change(tx, {c.id, "company", c.id, ChangeKind::updated, c.version}); !e.ok()) return e.error();
  return std::move(**updated);
}

}  // namespace tally
