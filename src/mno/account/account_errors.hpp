// The stable error codes of the Account API client and the one question a billing worker must ask
// of a failed create: could the platform have applied it anyway (security.md section 4)?
#pragma once
#include <string_view>

#include "mno/util/result.hpp"

namespace mno::account {

// 401: the marketplace's api.id / api.key were refused.
inline constexpr std::string_view kUnauthorized = "account.unauthorized";
// 400/404/422 or success:false: Error::fields holds field -> messages ("; "-joined), e.g. {"group_id": "does not exist"}.
inline constexpr std::string_view kInvalid = "account.invalid";
// 5xx (after the GET retries ran out). On a create, treat it as possibly applied (may_have_been_applied).
inline constexpr std::string_view kServerError = "account.server_error";
// Nothing reached the platform (connect/TLS failure), or a GET kept failing in transport.
inline constexpr std::string_view kUnreachable = "account.unreachable";
// A 2xx whose body is not the {success, errors, data} envelope with the expected data.
inline constexpr std::string_view kBadResponse = "account.bad_response";
// A create was sent and no answer came back (timeout, connection reset after sending): the bill may
// or may not exist. Never create again blindly: look it up first (AccountClient::find_bill_by_reference).
inline constexpr std::string_view kAmbiguousOutcome = "account.ambiguous_outcome";
// A caller mistake detected before sending (bad reference, empty id).
inline constexpr std::string_view kBadArgument = "account.bad_argument";

inline bool is_ambiguous_outcome(const Error& e) { return e.code == kAmbiguousOutcome; }
// True when a failed create may nevertheless exist on the platform: the ambiguous outcome, and a
// 5xx (a proxy or the platform may fail after committing). The caller must look before re-creating.
inline bool may_have_been_applied(const Error& e) { return e.code == kAmbiguousOutcome || e.code == kServerError; }

}  // namespace mno::account
