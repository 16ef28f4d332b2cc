// Maestrano session re-check (spec 3.8) with a grace period for an unreachable platform; see session_check.hpp.
#include "mno/sso/session_check.hpp"

#include <nlohmann/json.hpp>

#include "mno/saml/url_codec.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"

namespace mno::sso {
namespace {

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

std::string session_check_url(const config::Marketplace& m, std::string_view uid, std::string_view token) {
  // Each component encoded on its own (M9: escaping the whole URL leaves '/', '?', '&', '#' live).
  return m.api_url("auth/saml/" + saml::url_encode(uid)) + "?session=" + saml::url_encode(token);
}

std::string logout_url(const config::Marketplace& m, std::string_view uid) {
  std::string url = trim_slash(m.api.host) + "/app_logout";
  if (!uid.empty()) url += "?user_uid=" + saml::url_encode(uid);
  return url;
}

std::string unauthorized_url(const config::Marketplace& m) { return trim_slash(m.api.host) + "/app_access_unauthorized"; }

SessionChecker::SessionChecker(const config::Marketplace& m, http::HttpClient& http, const Clock& clock, std::chrono::milliseconds timeout)
    : m_(m), http_(http), clock_(clock), timeout_(timeout) {}

bool SessionChecker::needs_check(const MnoSession& s) const {
  return s.uid.empty() || s.token.empty() || s.recheck <= clock_.now();
}

CheckResult SessionChecker::check(const MnoSession& s) const {
  CheckResult r;
  if (s.uid.empty() || s.token.empty()) {
    r.outcome = CheckOutcome::invalid;
    r.reason = "sso.session_invalid";
    return r;
  }
  http::Request req;
  req.method = "GET";
  req.url = session_check_url(m_, s.uid, s.token);
  req.timeout = timeout_;
  req.connect_timeout = std::min(timeout_, req.connect_timeout);
  auto resp = http_.send(req);
  if (!resp) {
    r.reason = "sso.check_transport";
    return r;
  }
  if (resp->status >= 400 && resp->status < 500) {
    r.outcome = CheckOutcome::invalid;
    r.reason = "sso.session_invalid";
    return r;
  }
  if (resp->status != 200) {
    r.reason = "sso.check_status";
    return r;
  }
  auto body = nlohmann::json::parse(resp->body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("valid")) {
    r.reason = "sso.check_bad_response";
    return r;
  }
  const auto& valid = body["valid"];
  bool is_valid = valid.is_boolean() ? valid.get<bool>() : (valid.is_string() && valid.get<std::string>() == "true");
  if (!is_valid) {
    r.outcome = CheckOutcome::invalid;
    r.reason = "sso.session_invalid";
    return r;
  }
  if (!body.contains("recheck") || !body["recheck"].is_string()) {
    r.reason = "sso.check_bad_response";
    return r;
  }
  auto t = parse_iso8601(body["recheck"].get<std::string>());
  if (!t) {
    r.reason = "sso.check_bad_response";
    return r;
  }
  r.outcome = CheckOutcome::valid;
  r.new_recheck = *t;
  return r;
}

SessionDecision SessionChecker::evaluate(MnoSession& s, CheckResult* detail) const {
  if (!needs_check(s)) {
    if (detail) *detail = CheckResult{CheckOutcome::valid, std::nullopt, ""};
    return SessionDecision::keep;
  }
  CheckResult r = check(s);
  if (detail) *detail = r;
  switch (r.outcome) {
    case CheckOutcome::valid:
      // A recheck time in the past would make every request re-check: never earlier than now.
      s.recheck = std::max(*r.new_recheck, clock_.now());
      return SessionDecision::keep;
    case CheckOutcome::invalid:
      log::info("sso.session_invalid", {{"marketplace", m_.name}});
      return SessionDecision::reauthenticate;
    case CheckOutcome::unreachable:
      log::warn("sso.session_check_unreachable", {{"marketplace", m_.name}, {"reason", r.reason}});
      if (!s.uid.empty() && !s.token.empty() && clock_.now() < s.recheck + m_.sso.recheck_grace) return SessionDecision::keep_in_grace;
      return SessionDecision::reauthenticate;
  }
  return SessionDecision::reauthenticate;
}

}  // namespace mno::sso
