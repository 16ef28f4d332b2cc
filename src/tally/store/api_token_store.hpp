// SQL for api_tokens. Tokens are found by the SHA-256 of the presented token (token_hash).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/api_token_service.hpp"

namespace tally::store {

mno::Result<ApiToken> insert_api_token(mno::db::Connection& tx, int64_t user_id, int64_t company_id,
                                       const std::string& name, const std::string& token_hash,
                                       const std::string& hint, const std::string& now);
// Newest first, with the company name.
mno::Result<std::vector<ApiToken>> list_api_tokens(mno::db::Connection& tx, int64_t user_id);
mno::Result<std::optional<ApiToken>> find_api_token(mno::db::Connection& tx, int64_t user_id, int64_t token_id);
// Sets revoked_at unless already set; returns rows affected.
mno::Result<int64_t> revoke_api_token(mno::db::Connection& tx, int64_t token_id, const std::string& now);
mno::Result<std::optional<ApiToken>> find_api_token_by_hash(mno::db::Connection& tx, const std::string& token_hash);
mno::Result<int64_t> touch_api_token(mno::db::Connection& tx, int64_t token_id, const std::string& now);

}  // namespace tally::store
