// Per-user API tokens for the JSON API, each bound to one company. The plaintext token
// ("tly_" + url_token(32)) is returned once at creation; only its SHA-256 is stored, so lookup is by
// hash and a database leak reveals no usable token.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/role.hpp"
#include "tally/domain/user.hpp"

namespace tally {

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t company_id = 0;
  std::string company_name;
  std::string name;
  std::string hint;  // the first 8 characters ("tly_AbCd"), to recognise a token in the list
  std::string created_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string> revoked_at;
};

struct CreatedApiToken {
  ApiToken token;
  std::string plaintext;  // show once; never stored
};

struct ApiPrincipal {
  User user;
  int64_t company_id = 0;
  Role role = Role::member;
  int64_t token_id = 0;
};

class ApiTokenService {
 public:
  ApiTokenService(mno::db::Database& db, const mno::Clock& clock, mno::Random& random);

  // validation.failed (field "name": required, at most 100 characters); auth.forbidden when the
  // user has no active membership in a usable company.
  mno::Result<CreatedApiToken> create(int64_t user_id, int64_t company_id, const std::string& name);
  // The user's tokens, newest first, revoked ones included (revoked_at set).
  mno::Result<std::vector<ApiToken>> list(int64_t user_id);
  // record.not_found when the token is not this user's. Revoking twice is OK.
  mno::Status revoke(int64_t user_id, int64_t token_id);
  // auth.invalid_token for an unknown/revoked token, a disabled user, a revoked membership or an
  // unusable company. Records last_used_at (at most once a minute per token).
  mno::Result<ApiPrincipal> authenticate(const std::string& token);

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  mno::Random& random_;
};

}  // namespace tally
