// The one pipeline every JSON API route goes through (add_api_route): authentication by API token
// (Authorization: Bearer tly_...) or by the browser session (with X-CSRF-Token on unsafe methods),
// company scoping, JSON body parsing with size/depth/type checks, optimistic-concurrency versions,
// and the JSON error format {"error":{"code","message","fields"}} with its HTTP statuses. Handlers
// return a Result<ApiReply>; any mno::Error becomes the matching JSON error response.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/util/result.hpp"
#include "tally/app/services.hpp"
#include "tally/domain/list_query.hpp"
#include "tally/domain/role.hpp"
#include "web/router.hpp"

namespace tally::api {

inline constexpr size_t kMaxBodyBytes = 1 << 20;  // route body cap: larger bodies get 413
inline constexpr int kMaxJsonDepth = 32;          // deeper nesting is refused before parsing

// Who is calling: the user acting in one company, and how they proved it.
struct ApiCaller {
  int64_t user_id = 0;
  int64_t company_id = 0;
  Role role = Role::member;
  bool via_token = false;  // false: browser session cookie
};

// What a handler answers on success: the status, the JSON document and extra headers (Location, ETag).
struct ApiReply {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A reply carrying one record: {"data":...}, the status and ETag: "<version>" (usable as If-Match).
inline ApiReply record_reply(nlohmann::json document, int64_t version, int status = 200) {
  return ApiReply{status, std::move(document), {{"ETag", "\"" + std::to_string(version) + "\""}}};
}

class ApiContext {
 public:
  ApiContext(web::Request& req, Services& services, ApiCaller caller) : req(req), services(services), caller(caller) {}

  web::Request& req;
  Services& services;
  ApiCaller caller;

  int64_t company_id() const { return caller.company_id; }

  // The "{id}" path parameter; record.not_found when it is not a positive integer.
  mno::Result<int64_t> id_param() const;
  // The body as a JSON object. request.unsupported_media_type (415) unless Content-Type is
  // application/json; request.bad_json (400, with the byte position) for malformed or too deeply
  // nested JSON; request.invalid when it is not an object. With required=false an empty body
  // (whatever its Content-Type) gives an empty object: archive calls may send only If-Match.
  mno::Result<nlohmann::json> json_body(bool required = true) const;
  // The expected version from the body's "version" (an integer) or the If-Match header ("3" or
  // "\"3\""); request.invalid (field "version") when missing, malformed or the two disagree.
  mno::Result<int64_t> expected_version(const nlohmann::json& body) const;
  // q, sort, dir (asc|desc), page, per_page, include_archived; request.invalid naming the parameter.
  mno::Result<ListQuery> list_query() const;
  // A positive integer query parameter (a filter such as customer_id); nullopt when absent.
  mno::Result<std::optional<int64_t>> id_query_param(std::string_view name) const;
};

using ApiHandler = std::function<mno::Result<ApiReply>(ApiContext&)>;

// Registers one API route: authenticates, checks CSRF for session callers on POST/PUT/PATCH/DELETE,
// runs the handler, renders errors as JSON (500s are logged with a generic message) and adds
// Cache-Control: no-store to every response. Blocking route with a kMaxBodyBytes body cap.
void add_api_route(web::Router& router, Services& services, std::string_view method, std::string_view pattern,
                   ApiHandler handler);

// JSON 405 (request.method_not_allowed, with Allow) for the other methods of every /api/ pattern
// registered so far, and JSON 404 (route.not_found) for any other path under /api/, so API clients
// never see an HTML or plain-text error. Call it LAST, after every API route.
void add_api_fallback(web::Router& router);

// The HTTP status of an error code: validation.failed 422, record.not_found 404, record.stale and
// record.in_use 409, auth.unauthenticated 401, auth.forbidden/auth.csrf 403, request.* 400/405/413/415;
// anything else 500.
int status_for(std::string_view code);
// {"error":{"code","message","fields"}} with the status for the code; 500s get a generic message.
web::Response error_response(const mno::Error& error);
web::Response json_response(int status, const nlohmann::json& body);

// A request.invalid error naming the fields that had the wrong JSON type or format.
mno::Error invalid_request(std::map<std::string, std::string> fields);

}  // namespace tally::api
