// See api_token_service.hpp.
#include "tally/domain/api_token_service.hpp"

#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "tally/domain/ascii_text.hpp"
#include "tally/domain/membership.hpp"
#include "tally/domain/secret_digest.hpp"
#include "tally/domain/validation.hpp"
#include "tally/store/api_token_store.hpp"
#include "tally/store/company_store.hpp"
#include "tally/store/membership_store.hpp"
#include "tally/store/user_store.hpp"

namespace tally {
namespace {

constexpr std::string_view kPrefix = "tly_";
// last_used_at is informational; writing it on every API call would make each read a write.
constexpr auto kTouchInterval = std::chrono::minutes(1);

mno::Error invalid_token() { return mno::make_error("auth.invalid_token", "The API token is invalid or revoked."); }

// The user's active role in a usable company, or nullopt.
mno::Result<std::optional<Role>> usable_role(mno::db::Connection& tx, int64_t user_id, int64_t company_id) {
  auto m = store::find_membership(tx, user_id, company_id);
  if (!m.ok()) return m.error();
  if (!*m || (*m)->status != MembershipStatus::active) return std::optional<Role>{};
  auto c = store::find_company(tx, company_id);
  if (!c.ok()) return c.error();
  if (!*c || !is_usable((*c)->status)) return std::optional<Role>{};
  return std::optional<Role>{(*m)->role};
}

}  // namespace

ApiTokenService::ApiTokenService(mno::db::Database& db, const mno::Clock& clock, mno::Random& random)
    : db_(db), clock_(clock), random_(random) {}

mno::Result<CreatedApiToken> ApiTokenService::create(int64_t user_id, int64_t company_id, const std::string& name) {
  const std::string clean = ascii::trim(name);
  FieldErrors errors;
  if (clean.empty())
    errors.add("name", "is required");
  else if (clean.size() > 100)
    errors.add("name", "must be at most 100 characters");
  if (!errors.empty()) return errors.to_error();

  // Generated outside the transaction: a retry must store the token we return.
  const std::string plaintext = std::string(kPrefix) + random_.url_token(32);
  const std::string hash = sha256_hex(plaintext);
  auto token = db_.transact([&](mno::db::Connection& tx) -> mno::Result<ApiToken> {
    auto role = usable_role(tx, user_id, company_id);
    if (!role.ok()) return role.error();
    if (!*role) return mno::make_error("auth.forbidden", "You do not have access to this company.");
    auto u = store::find_user(tx, user_id);
    if (!u.ok()) return u.error();
    if (!*u || (*u)->user.status != UserStatus::active)
      return mno::make_error("auth.forbidden", "This user account is disabled.");
    return store::insert_api_token(tx, user_id, company_id, clean, hash, plaintext.substr(0, 8),
                                   mno::format_iso8601(clock_.now()));
  });
  if (!token.ok()) return token.error();
  mno::log::info("api_token.created", {{"user_id", std::to_string(user_id)}, {"token_id", std::to_string(token->id)}});
  return CreatedApiToken{std::move(token).value(), plaintext};
}

mno::Result<std::vector<ApiToken>> ApiTokenService::list(int64_t user_id) {
  return db_.transact([&](mno::db::Connection& tx) { return store::list_api_tokens(tx, user_id); },
                      mno::db::TxKind::read);
}

mno::Status ApiTokenService::revoke(int64_t user_id, int64_t token_id) {
  return db_.transaction([&](mno::db::Connection& tx) -> mno::Status {
    auto t = store::find_api_token(tx, user_id, token_id);
    if (!t.ok()) return t.error();
    if (!*t) return mno::make_error("record.not_found", "This API token does not exist.");
    auto n = store::revoke_api_token(tx, token_id, mno::format_iso8601(clock_.now()));
    if (!n.ok()) return n.error();
    return {};
  });
}

mno::Result<ApiPrincipal> ApiTokenService::authenticate(const std::string& token) {
  if (token.size() <= kPrefix.size() || token.size() > 200 || token.compare(0, kPrefix.size(), kPrefix) != 0)
    return invalid_token();
  const std::string hash = sha256_hex(token);
  const mno::TimePoint now = clock_.now();
  auto found = db_.transact(
      [&](mno::db::Connection& tx) -> mno::Result<std::pair<ApiPrincipal, std::optional<std::string>>> {
        auto t = store::find_api_token_by_hash(tx, hash);
        if (!t.ok()) return t.error();
        if (!*t || (*t)->revoked_at) return invalid_token();
        auto role = usable_role(tx, (*t)->user_id, (*t)->company_id);
        if (!role.ok()) return role.error();
        if (!*role) return invalid_token();
        auto u = store::find_user(tx, (*t)->user_id);
        if (!u.ok()) return u.error();
        if (!*u || (*u)->user.status != UserStatus::active) return invalid_token();
        ApiPrincipal p{(*u)->user, (*t)->company_id, **role, (*t)->id};
        return std::make_pair(std::move(p), (*t)->last_used_at);
      },
      mno::db::TxKind::read);
  if (!found.ok()) return found.error();
  auto& [principal, last_used] = *found;
  bool touch = true;
  if (last_used) {
    auto at = mno::parse_iso8601(*last_used);
    touch = !at.ok() || now - *at >= kTouchInterval;
  }
  if (touch) {
    auto n = db_.transact([&](mno::db::Connection& tx) {
      return store::touch_api_token(tx, principal.token_id, mno::format_iso8601(now));
    });
    if (!n.ok()) mno::log::warn("api_token.touch_failed", {{"error", n.error().code}});
  }
  return principal;
}

}  // namespace tally
