// See sso_routes.hpp. What the user sees on any SSO failure is one generic message; the reason code
// goes to the log (security.md 1.4 step 12). The handlers run on the worker pool (blocking routes):
// they touch the database and, for the ACS, verify an RSA signature.
#include "tally/web/sso_routes.hpp"

#include "mno/saml/authn_request.hpp"
#include "mno/saml/request_store.hpp"
#include "mno/saml/response_validator.hpp"
#include "mno/sso/identity.hpp"
#include "mno/util/log.hpp"
#include "tally/domain/login_throttle.hpp"
#include "tally/domain/sso_session.hpp"
#include "tally/web/page_context.hpp"
#include "web/route_options.hpp"
#include "web/url.hpp"

namespace tally {
namespace {

constexpr size_t kMaxConsumeBody = 256 * 1024;  // security.md 1.4 step 1, enforced while reading
constexpr const char* kCookiePath = "/maestrano/auth/saml";

const char* kRejected =
    "We could not sign you in from the marketplace. Please go back to the marketplace and open Tally again.";

std::shared_ptr<const mno::config::Marketplace> marketplace_of(Services& s, const web::Request& req) {
  auto it = req.params.find("marketplace");
  auto m = it != req.params.end() ? s.registry.find(it->second) : s.registry.only();
  return m && m->sso.enabled ? m : nullptr;
}

// The browser's binding cookie: the key signed with the session key, so it cannot be forged.
web::Cookie binding_cookie(Services& s, const std::string& key, bool clear) {
  web::Cookie c;
  c.name = kSamlBindingCookie;
  c.value = clear ? "" : s.sessions.sign(key);
  c.path = kCookiePath;
  c.max_age = clear ? 0L : static_cast<long>(mno::saml::kAuthnRequestTtl.count());
  c.secure = s.sessions.options().secure;
  // The IdP's form POST is cross-site in production: only SameSite=None (which requires Secure)
  // lets this cookie through. Over plain HTTP (development, same site) Lax is enough.
  c.same_site = c.secure ? "None" : "Lax";
  return c;
}

// The binding key of this browser: from the session when its cookie came, else from the binding cookie.
std::string binding_key_of(PageContext& ctx) {
  if (ctx.session)
    if (auto it = ctx.session->data.find(kSamlBindingKey); it != ctx.session->data.end() && !it->second.empty())
      return it->second;
  if (auto c = ctx.req.cookie(kSamlBindingCookie))
    if (auto key = ctx.services.sessions.verify(*c)) return *key;
  return "";
}

web::Response run(Services& services, web::Request& req, const std::function<web::Response(PageContext&)>& fn) {
  PageContext ctx(req, services);
  try {
    ctx.session = services.sessions.attach(req);
    return ctx.finish(fn(ctx));
  } catch (const std::exception& e) {
    mno::log::error("sso.exception", {{"path", req.path}, {"what", e.what()}});
    try {
      return ctx.finish(ctx.error_page(500));
    } catch (...) {
      return web::Response::html(500, "<h1>Something went wrong</h1>");
    }
  }
}

web::Response init(PageContext& ctx) {
  auto m = marketplace_of(ctx.services, ctx.req);
  if (!m) return ctx.error_page(404);
  ctx.csrf_token();  // makes sure this browser has a session to bind the request to
  std::string key = binding_key_of(ctx);
  if (key.empty()) key = ctx.services.random.hex_token(16);
  ctx.session->data[kSamlBindingKey] = key;
  ctx.session->dirty = true;

  // Spec 3.2: every init parameter is forwarded (group_id above all); the session's group otherwise.
  mno::saml::QueryParams forward;
  bool has_group = false;
  for (auto& [k, v] : web::parse_query(ctx.req.query)) {
    has_group = has_group || k == "group_id";
    forward.emplace_back(k, v);
  }
  if (!has_group)
    if (auto it = ctx.session->data.find(kMnoGroupKey); it != ctx.session->data.end() && !it->second.empty())
      forward.emplace_back("group_id", it->second);

  auto request = mno::saml::build_authn_request(*m, ctx.services.clock, ctx.services.random, forward);
  if (!request.ok()) {
    mno::log::error("sso.init_failed", {{"marketplace", m->name}, {"code", request.error().code}, {"message", request.error().message}});
    return ctx.error_page(503, "Single sign-on with this marketplace is not available right now.");
  }
  const auto now = ctx.services.clock.now();
  // Housekeeping on the (rare) init path rather than on every consume: both tables only hold rows
  // with an expiry, so expired ones can go.
  (void)ctx.services.saml_requests->purge_expired(now);
  (void)ctx.services.saml_replays->purge_expired(now);
  if (auto s = ctx.services.saml_requests->remember(request->id, key, now + mno::saml::kAuthnRequestTtl); !s.ok())
    return ctx.error_response(s.error());
  mno::log::info("sso.init", {{"marketplace", m->name}});
  auto res = web::Response::redirect(request->redirect_url, 302);
  res.set_cookie(binding_cookie(ctx.services, key, false));
  return res;
}

web::Response reject(PageContext& ctx, const std::string& marketplace, const mno::Error& e) {
  // Reason code and the validator's message (it never contains the assertion) to the log only.
  mno::log::warn("sso.rejected", {{"marketplace", marketplace}, {"code", e.code}, {"message", e.message}, {"remote", ctx.req.remote_addr}});
  if (auto s = ctx.services.acs_rate_limit.record_rejection(ctx.req.remote_addr); !s.ok())
    mno::log::error("sso.rate_limit_store", {{"code", s.error().code}, {"message", s.error().message}});
  return ctx.error_page(403, kRejected);
}

// 429 before any parsing when this client IP has had too many consumes rejected (acs_rate_limit.hpp).
std::optional<web::Response> rate_limited(PageContext& ctx, const std::string& marketplace) {
  auto s = ctx.services.acs_rate_limit.check(ctx.req.remote_addr);
  if (s.ok()) return std::nullopt;
  auto wait = retry_after_seconds(s.error());
  if (!wait) return ctx.error_response(s.error());
  mno::log::warn("sso.rate_limited", {{"marketplace", marketplace}, {"remote", ctx.req.remote_addr}, {"retry_after", std::to_string(*wait)}});
  ViewData view;
  view.set("status", "429");
  view.set("heading", "Too many sign-in attempts");
  view.set("message", s.error().message + " If you were signing in from the marketplace, open Tally from there again then.");
  auto res = ctx.page("error", "Too many sign-in attempts", view, "", 429);
  res.set_header("Retry-After", std::to_string(*wait));
  return res;
}

web::Response consume(PageContext& ctx) {
  auto m = marketplace_of(ctx.services, ctx.req);
  if (!m) return ctx.error_page(404);
  if (auto limited = rate_limited(ctx, m->name)) return std::move(*limited);
  auto form = ctx.req.form();
  auto field = form.find("SAMLResponse");
  if (field == form.end() || field->second.empty())
    return reject(ctx, m->name, mno::make_error("saml.missing_response", "no SAMLResponse form field"));

  auto validator = ctx.services.sso_validators.get(m);
  if (!validator.ok()) {
    mno::log::error("sso.config_error", {{"marketplace", m->name}, {"code", validator.error().code}, {"message", validator.error().message}});
    return ctx.error_page(503, "Single sign-on with this marketplace is not available right now.");
  }
  // No binding key (no init in this browser): a fresh random key that matches no outstanding request,
  // so the validator rejects with saml.in_response_to like any other unsolicited response.
  std::string key = binding_key_of(ctx);
  if (key.empty()) key = "unbound-" + ctx.services.random.hex_token(16);
  auto assertion = (*validator)->validate(field->second, mno::saml::InResponseToCheck::from_store(*ctx.services.saml_requests, key));
  if (!assertion.ok()) return reject(ctx, m->name, assertion.error());
  auto identity = mno::sso::identity_from_assertion(*assertion, *m);
  if (!identity.ok()) return reject(ctx, m->name, identity.error());

  auto provisioned = ctx.services.sso_provisioning.provision(m->name, *identity);
  if (!provisioned.ok()) {
    if (provisioned.error().code == "auth.forbidden") return ctx.error_page(403, provisioned.error().message);
    return ctx.error_response(provisioned.error());
  }
  if (provisioned->company_created) ctx.services.on_company_created(*provisioned);

  ctx.sign_in(provisioned->user.id, provisioned->company.id);  // rotates the session id, drops old data
  mno::sso::MnoSession session = identity->session;
  session.marketplace = m->name;
  store_mno_session(ctx.session->data, session);
  mno::log::info("sso.login", {{"marketplace", m->name},
                               {"user_id", std::to_string(provisioned->user.id)},
                               {"company_id", std::to_string(provisioned->company.id)}});
  auto res = ctx.redirect("/app");
  res.set_cookie(binding_cookie(ctx.services, "", true));
  return res;
}

}  // namespace

void add_sso_routes(web::Router& router, Services& services) {
  auto get = [&services](web::Request& req) { return run(services, req, init); };
  auto post = [&services](web::Request& req) { return run(services, req, consume); };
  router.add("GET", "/maestrano/auth/saml/init/{marketplace}", get, web::named("/maestrano/auth/saml/init", 0));
  router.add("GET", "/maestrano/auth/saml/init", get, web::named("/maestrano/auth/saml/init", 0));
  router.add("POST", "/maestrano/auth/saml/consume/{marketplace}", post, web::named("/maestrano/auth/saml/consume", kMaxConsumeBody));
  router.add("POST", "/maestrano/auth/saml/consume", post, web::named("/maestrano/auth/saml/consume", kMaxConsumeBody));
}

}  // namespace tally
