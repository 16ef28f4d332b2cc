// Stable error codes of the Connec! client (connec.md 1.8, security.md 4) and the mapping from an HTTP outcome
// to them. Every error carries fields: "status" (HTTP status, when there was one), "body" (the response body,
// truncated to 1000 bytes), "retry_after" (seconds, for 429/503 with Retry-After), and for connec.invalid
// the per-field messages Connec! returned ("field.<name>").
//   connec.unauthorized   401/403: wrong api.id/api.key or no access to the group
//   connec.not_found      404
//   connec.invalid        400/422: validation; fields "field.<name>" when the body names them
//   connec.rejected       any other 4xx (409, 405, 410, ...): not retried
//   connec.rate_limited   429; fields "retry_after" when given
//   connec.transient      408/425: the server did not process the request; retried
//   connec.server_error   5xx; retried
//   connec.unreachable    connect/TLS failure: the request certainly did not reach Connec!; retried
//   connec.timeout        a read (GET) timed out or broke: retried, no side effect to worry about
//   connec.ambiguous      a write (POST/PUT/batch) timed out or broke after sending: it may have been applied.
//                         Retried as the same upsert on the app's external id, so it never duplicates.
//   connec.bad_response   a 2xx whose body is not the expected JSON envelope
//   connec.invalid_argument  caller error (bad group id / collection / more than 50 batch ops)
#pragma once
#include <chrono>
#include <optional>
#include <string_view>

#include "mno/http/http_client.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::connec {

// The error for a non-2xx response. now: to turn an HTTP-date Retry-After into seconds.
Error error_from_response(const http::Response& response, TimePoint now);
// The error for a batch operation result (status + JSON body, no headers).
Error error_from_status(int status, std::string_view body);
// The error for a transport failure of http::HttpClient::send; `write` marks POST/PUT/batch (ambiguous).
Error error_from_transport(const Error& transport_error, bool write);

// Whether the sync engine should try again later (security.md 4 retry policy).
bool is_retryable(const Error& error);
// Retry-After carried by the error, if any.
std::optional<std::chrono::seconds> retry_after(const Error& error);
// HTTP status carried by the error (0 when none).
int error_status(const Error& error);

}  // namespace mno::connec
