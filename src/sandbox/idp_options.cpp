// See idp_options.hpp. Taking a broken response decrements the counter in the same write
// transaction that reads it, so two concurrent logins never both consume the last one.
#include "sandbox/idp_options.hpp"

#include <array>
#include <utility>

namespace sandbox {
namespace {

constexpr std::array<std::pair<BrokenMode, std::string_view>, 13> kModes{{
    {BrokenMode::none, "none"},
    {BrokenMode::bad_signature, "bad_signature"},
    {BrokenMode::foreign_key, "foreign_key"},
    {BrokenMode::unsigned_assertion, "unsigned_assertion"},
    {BrokenMode::expired, "expired"},
    {BrokenMode::not_yet_valid, "not_yet_valid"},
    {BrokenMode::wrong_audience, "wrong_audience"},
    {BrokenMode::wrong_destination, "wrong_destination"},
    {BrokenMode::wrong_recipient, "wrong_recipient"},
    {BrokenMode::wrong_issuer, "wrong_issuer"},
    {BrokenMode::wrong_in_response_to, "wrong_in_response_to"},
    {BrokenMode::status_failure, "status_failure"},
    {BrokenMode::wrapped_assertion, "wrapped_assertion"},
}};

using mno::saml::SignatureAlgorithm;
constexpr std::array<std::pair<SignatureAlgorithm, std::string_view>, 4> kAlgorithms{{
    {SignatureAlgorithm::rsa_sha256, "rsa-sha256"},
    {SignatureAlgorithm::rsa_sha384, "rsa-sha384"},
    {SignatureAlgorithm::rsa_sha512, "rsa-sha512"},
    {SignatureAlgorithm::rsa_sha1, "rsa-sha1"},
}};

mno::Result<IdpOptions> read(mno::db::Connection& c, const std::string& marketplace) {
  auto row = c.query_one(
      "SELECT algorithm, sign_response, clock_offset, recheck_seconds, broken_mode, broken_remaining FROM idp_options"
      " WHERE marketplace = $1",
      {marketplace});
  if (!row) return row.error();
  IdpOptions o;
  if (!*row) return o;
  const auto& r = **row;
  o.algorithm = algorithm_from_name(r.text(0)).value_or(SignatureAlgorithm::rsa_sha256);
  o.sign_response = r.flag(1);
  o.clock_offset_seconds = r.i64(2);
  o.recheck_seconds = r.i64(3);
  o.broken = broken_mode_from_name(r.text(4)).value_or(BrokenMode::none);
  o.broken_remaining = r.i64(5);
  if (o.broken_remaining <= 0) o.broken = BrokenMode::none;
  return o;
}

mno::Status write(mno::db::Connection& c, const std::string& marketplace, const IdpOptions& o) {
  auto r = c.execute(
      "INSERT INTO idp_options (marketplace, algorithm, sign_response, clock_offset, recheck_seconds, broken_mode,"
      " broken_remaining) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (marketplace) DO UPDATE SET"
      " algorithm = excluded.algorithm, sign_response = excluded.sign_response, clock_offset = excluded.clock_offset,"
      " recheck_seconds = excluded.recheck_seconds, broken_mode = excluded.broken_mode,"
      " broken_remaining = excluded.broken_remaining",
      {marketplace, std::string(algorithm_name(o.algorithm)), o.sign_response, o.clock_offset_seconds, o.recheck_seconds,
       std::string(broken_mode_name(o.broken)), o.broken == BrokenMode::none ? int64_t{0} : o.broken_remaining});
  if (!r) return r.error();
  return {};
}

}  // namespace

std::string_view broken_mode_name(BrokenMode m) {
  for (const auto& [mode, name] : kModes)
    if (mode == m) return name;
  return "none";
}

std::optional<BrokenMode> broken_mode_from_name(std::string_view name) {
  for (const auto& [mode, n] : kModes)
    if (n == name) return mode;
  return std::nullopt;
}

const std::vector<BrokenMode>& broken_modes() {
  static const std::vector<BrokenMode> all = [] {
    std::vector<BrokenMode> v;
    for (const auto& [mode, name] : kModes)
      if (mode != BrokenMode::none) v.push_back(mode);
    return v;
  }();
  return all;
}

std::string_view algorithm_name(mno::saml::SignatureAlgorithm a) {
  for (const auto& [alg, name] : kAlgorithms)
    if (alg == a) return name;
  return "rsa-sha256";
}

std::optional<mno::saml::SignatureAlgorithm> algorithm_from_name(std::string_view name) {
  for (const auto& [alg, n] : kAlgorithms)
    if (n == name) return alg;
  return std::nullopt;
}

IdpOptionsStore::IdpOptionsStore(std::shared_ptr<mno::db::Database> db) : db_(std::move(db)) {}

mno::Result<IdpOptions> IdpOptionsStore::get(const std::string& marketplace) const {
  return db_->transact([&](mno::db::Connection& c) { return read(c, marketplace); }, mno::db::TxKind::read);
}

mno::Status IdpOptionsStore::set(const std::string& marketplace, const IdpOptions& options) {
  return db_->transaction([&](mno::db::Connection& c) { return write(c, marketplace, options); });
}

mno::Result<IdpOptions> IdpOptionsStore::take_for_response(const std::string& marketplace) {
  return db_->transact([&](mno::db::Connection& c) -> mno::Result<IdpOptions> {
    auto o = read(c, marketplace);
    if (!o) return o.error();
    if (o->broken == BrokenMode::none) return o;
    IdpOptions next = *o;
    next.broken_remaining -= 1;
    if (next.broken_remaining <= 0) next.broken = BrokenMode::none;
    if (auto s = write(c, marketplace, next); !s) return s.error();
    return o;
  });
}

}  // namespace sandbox
