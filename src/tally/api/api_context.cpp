// See api_context.hpp.
#include "tally/api/api_context.hpp"

#include "tally/web/session_keys.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <exception>
#include <limits>
#include <variant>

#include "mno/util/log.hpp"
#include "web/header_values.hpp"
#include "web/route_options.hpp"
#include "web/session.hpp"
#include "web/url.hpp"

namespace tally::api {
namespace {

constexpr std::string_view kBearerPrefix = "bearer ";

std::optional<int64_t> parse_positive(std::string_view text) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

bool iequals_prefix(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower_prefix[i]) return false;
  return true;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool unsafe_method(const std::string& m) { return m != "GET" && m != "HEAD" && m != "OPTIONS"; }

// application/json, optionally with parameters ("; charset=utf-8"); the media type is case-insensitive.
bool is_json_content_type(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string_view v = *value;
  v = v.substr(0, v.find(';'));
  std::string media = trim(v);
  std::transform(media.begin(), media.end(), media.begin(), [](unsigned char c) { return std::tolower(c); });
  return media == "application/json";
}

// Nesting depth of a JSON text, outside strings. Checked before parsing so that a hostile body of
// a million '[' costs one linear scan and no allocation.
int max_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    else if (c == ']' || c == '}') --depth;
  }
  return deepest;
}

mno::Error error_with_status(std::string code, std::string message) { return mno::make_error(std::move(code), std::move(message)); }

web::Response unauthenticated(const std::string& message, bool token_presented) {
  auto res = error_response(error_with_status("auth.unauthenticated", message));
  res.set_header("WWW-Authenticate", token_presented ? "Bearer realm=\"tally\", error=\"invalid_token\"" : "Bearer realm=\"tally\"");
  return res;
}

// Authenticates the request: a caller, or the error response to send.
std::variant<ApiCaller, web::Response> authenticate(web::Request& req, Services& services) {
  auto auth = web::header_values(req, "authorization");
  if (!auth.empty()) {
    // A presented credential is never second-guessed by falling back to the cookie.
    if (auth.size() > 1) return unauthenticated("Send a single Authorization header.", true);
    if (!iequals_prefix(auth[0], kBearerPrefix))
      return unauthenticated("Use Authorization: Bearer <token> with an API token.", true);
    std::string token = trim(std::string_view(auth[0]).substr(kBearerPrefix.size()));
    auto principal = services.tokens.authenticate(token);
    if (!principal) {
      if (principal.error().code == "auth.invalid_token")
        return unauthenticated("The API token is invalid or has been revoked.", true);
      return error_response(principal.error());
    }
    return ApiCaller{principal->user.id, principal->company_id, principal->role, true};
  }

  auto session = services.sessions.attach(req);
  if (!session) return unauthenticated("Sign in, or send an API token as Authorization: Bearer <token>.", false);
  std::optional<int64_t> uid;
  if (auto it = session->data.find(kSessionUserKey); it != session->data.end()) uid = parse_positive(it->second);
  if (!uid) return unauthenticated("Sign in, or send an API token as Authorization: Bearer <token>.", false);
  auto user = services.accounts.get_user(*uid);
  if (!user) {
    if (user.error().code == "record.not_found") return unauthenticated("Your session has ended. Please sign in again.", false);
    return error_response(user.error());
  }
  if (user->status != UserStatus::active) return unauthenticated("Your session has ended. Please sign in again.", false);

  std::optional<int64_t> company_id;
  if (auto it = session->data.find(kSessionCompanyKey); it != session->data.end()) company_id = parse_positive(it->second);
  if (!company_id) {
    // Same rule as the pages: without a chosen company, the first one the user can open.
    auto companies = services.accounts.memberships_of(*uid);
    if (!companies) return error_response(companies.error());
    if (companies->empty())
      return error_response(error_with_status("auth.forbidden", "You don't have access to any company."));
    company_id = companies->front().company_id;
  }
  auto role = services.accounts.membership(*uid, *company_id);
  if (!role) {
    if (role.error().code == "record.not_found" || role.error().code == "auth.forbidden")
      return error_response(error_with_status("auth.forbidden", "You no longer have access to this company."));
    return error_response(role.error());
  }
  if (unsafe_method(req.method) && !services.sessions.csrf_ok(req))
    return error_response(error_with_status(
        "auth.csrf", "Requests authenticated by the session cookie must send the session's CSRF token in X-CSRF-Token."));
  return ApiCaller{*uid, *company_id, *role, false};
}

web::Response with_api_headers(web::Response res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  return res;
}

}  // namespace

int status_for(std::string_view code) {
  if (code == "validation.failed") return 422;
  if (code == "record.not_found" || code == "route.not_found") return 404;
  if (code == "record.stale" || code == "record.in_use") return 409;
  if (code == "auth.unauthenticated" || code == "auth.invalid_token") return 401;
  if (code == "auth.forbidden" || code == "auth.csrf") return 403;
  if (code == "request.bad_json" || code == "request.invalid") return 400;
  if (code == "request.method_not_allowed") return 405;
  if (code == "request.too_large") return 413;
  if (code == "request.unsupported_media_type") return 415;
  return 500;
}

web::Response json_response(int status, const nlohmann::json& body) {
  // replace: a stored string that is not valid UTF-8 must not turn a read into a 500.
  return with_api_headers(web::Response::json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

web::Response error_response(const mno::Error& e) {
  const int status = status_for(e.code);
  nlohmann::json err;
  if (status == 500) {
    mno::log::error("api.error", {{"code", e.code}, {"message", e.message}});
    err = {{"code", "internal"}, {"message", "Something went wrong on our side. It has been logged; please try again."}};
  } else {
    err = {{"code", e.code}, {"message", e.message}};
    if (!e.fields.empty()) err["fields"] = e.fields;
  }
  return json_response(status, {{"error", std::move(err)}});
}

mno::Error invalid_request(std::map<std::string, std::string> fields) {
  std::string names;
  for (const auto& [k, v] : fields) names += (names.empty() ? "" : ", ") + k;
  mno::Error e = mno::make_error("request.invalid", "Invalid request: check " + names + ".");
  e.fields = std::move(fields);
  return e;
}

mno::Result<int64_t> ApiContext::id_param() const {
  auto it = req.params.find("id");
  if (it != req.params.end())
    if (auto id = parse_positive(it->second)) return *id;
  return mno::make_error("record.not_found", "No such record.");
}

mno::Result<nlohmann::json> ApiContext::json_body(bool required) const {
  // No body, no data to misread: clients such as curl label even an empty POST as a form.
  if (!required && req.body.empty()) return nlohmann::json::object();
  auto type = req.header("content-type");
  if (!is_json_content_type(type))
    return mno::make_error("request.unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  if (max_depth(req.body) > kMaxJsonDepth)
    return mno::make_error("request.bad_json",
                           "The body nests JSON deeper than " + std::to_string(kMaxJsonDepth) + " levels.");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(req.body);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." → keep the readable part.
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    auto err = mno::make_error("request.bad_json", "The body is not valid JSON: " + what);
    err.fields["body"] = "invalid JSON at byte " + std::to_string(e.byte);
    return err;
  }
  if (!doc.is_object()) return invalid_request({{"body", "must be a JSON object"}});
  return doc;
}

mno::Result<int64_t> ApiContext::expected_version(const nlohmann::json& body) const {
  std::optional<int64_t> from_body, from_header;
  if (auto it = body.find("version"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() <= 0 ||
        (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())))
      return invalid_request({{"version", "must be a positive integer"}});
    from_body = it->get<int64_t>();
  }
  if (auto h = req.header("if-match")) {
    std::string v = trim(*h);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    from_header = parse_positive(v);
    if (!from_header) return invalid_request({{"version", "If-Match must be the record's version, like \"3\""}});
  }
  if (from_body && from_header && *from_body != *from_header)
    return invalid_request({{"version", "differs from the If-Match header"}});
  if (from_body) return *from_body;
  if (from_header) return *from_header;
  return invalid_request({{"version", "is required: send the version you read, in the body or as If-Match"}});
}

mno::Result<ListQuery> ApiContext::list_query() const {
  ListQuery q;
  std::map<std::string, std::string> bad;
  for (const auto& [k, v] : web::parse_query(req.query)) {
    if (k == "q") {
      q.search = v;
    } else if (k == "sort") {
      q.sort = v;
    } else if (k == "dir") {
      if (v == "asc") q.descending = false;
      else if (v == "desc") q.descending = true;
      else bad.emplace("dir", "must be asc or desc");
    } else if (k == "page" || k == "per_page") {
      auto n = parse_positive(v);
      if (!n || *n > std::numeric_limits<int>::max()) {
        bad.emplace(k, "must be a positive integer");
      } else {
        (k == "page" ? q.page : q.per_page) = static_cast<int>(*n);
      }
    } else if (k == "include_archived") {
      if (v == "true" || v == "1") q.include_archived = true;
      else if (v == "false" || v == "0" || v.empty()) q.include_archived = false;
      else bad.emplace("include_archived", "must be true or false");
    }
  }
  if (q.per_page > 100) bad.emplace("per_page", "must be between 1 and 100");
  if (q.page > 1'000'000) bad.emplace("page", "must be at most 1000000");
  if (!bad.empty()) return invalid_request(std::move(bad));
  return q;
}

mno::Result<std::optional<int64_t>> ApiContext::id_query_param(std::string_view name) const {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::optional<int64_t>{};
  auto id = parse_positive(*v);
  if (!id) return invalid_request({{std::string(name), "must be a positive integer id"}});
  return std::optional<int64_t>{*id};
}

void add_api_route(web::Router& router, Services& services, std::string_view method, std::string_view pattern,
                   ApiHandler handler) {
  auto run = [&services, handler = std::move(handler)](web::Request& req) -> web::Response {
    try {
      auto caller = authenticate(req, services);
      if (auto* res = std::get_if<web::Response>(&caller)) return std::move(*res);
      ApiContext ctx(req, services, std::get<ApiCaller>(caller));
      auto reply = handler(ctx);
      if (!reply) {
        // List parameters that the service rejects are a bad request, not an invalid record.
        if (reply.error().code == "validation.failed" && req.method == "GET") {
          auto e = reply.error();
          e.code = "request.invalid";
          return error_response(e);
        }
        return error_response(reply.error());
      }
      auto res = json_response(reply->status, reply->body);
      for (auto& [k, v] : reply->headers) res.set_header(k, v);
      return res;
    } catch (const std::exception& e) {
      mno::log::error("api.exception", {{"path", req.path}, {"what", e.what()}});
      return error_response(mno::make_error("internal", e.what()));
    } catch (...) {
      mno::log::error("api.exception", {{"path", req.path}, {"what", "unknown"}});
      return error_response(mno::make_error("internal", "unknown exception"));
    }
  };
  router.add(method, pattern, std::move(run), web::named("api " + std::string(pattern), kMaxBodyBytes));
}

void add_api_fallback(web::Router& router) {
  static constexpr const char* kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  // The router answers a known path with an unregistered method itself (plain text), so each API
  // pattern gets its missing methods registered here, answering a JSON 405.
  std::map<std::string, std::vector<std::string>> methods_by_pattern;
  for (size_t i = 0; i < router.size(); ++i) {
    const auto& route = router.route(i);
    if (route.pattern.rfind("/api/", 0) == 0) methods_by_pattern[route.pattern].push_back(route.method);
  }
  for (const auto& [pattern, methods] : methods_by_pattern) {
    std::string allow;
    for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
    for (const char* method : kMethods) {
      if (std::find(methods.begin(), methods.end(), method) != methods.end()) continue;
      router.add(method, pattern, [allow](web::Request&) {
        auto res = error_response(mno::make_error("request.method_not_allowed", "Use one of: " + allow + "."));
        res.set_header("Allow", allow);
        return res;
      }, web::named("api 405", kMaxBodyBytes));
    }
  }
  for (const char* method : kMethods) {
    router.add(method, "/api/{rest...}", [](web::Request&) {
      return error_response(mno::make_error("route.not_found", "No such API endpoint. See docs/api.md."));
    }, web::named("api 404", kMaxBodyBytes));
  }
}

}  // namespace tally::api
