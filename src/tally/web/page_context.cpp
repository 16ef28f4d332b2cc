// See page_context.hpp.
#include "tally/web/page_context.hpp"

#include "tally/web/session_keys.hpp"

#include <algorithm>
#include <charconv>
#include <variant>

#include "mno/sso/session_check.hpp"
#include "mno/util/log.hpp"
#include "tally/domain/sso_session.hpp"
#include "web/route_options.hpp"
#include "web/url.hpp"

namespace tally {
namespace {

std::string content_security_policy(std::string_view extra_form_action = {}) {
  std::string form_action = "'self'";
  if (!extra_form_action.empty()) form_action += " " + std::string(extra_form_action);
  return "default-src 'self'; img-src 'self' data:; form-action " + form_action + "; frame-ancestors 'none'";
}

// scheme://host[:port] of an absolute URL ("" if it is not one).
std::string url_origin(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return {};
  auto path = url.find_first_of("/?#", scheme_end + 3);
  return url.substr(0, path);
}

void add_security_headers(web::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
  // A handler may widen form-action for one response (the SSO logout redirect below).
  if (!res.header("content-security-policy")) res.set_header("Content-Security-Policy", content_security_policy());
  if (!res.header("cache-control")) res.set_header("Cache-Control", "no-store");
}

std::string error_title(int status) {
  switch (status) {
    case 400: return "Bad request";
    case 403: return "Not allowed";
    case 404: return "Not found";
    case 409: return "Conflict";
    case 413: return "Too large";
    default: return "Something went wrong";
  }
}

std::string default_message(int status) {
  switch (status) {
    case 403: return "You don't have permission to do that.";
    case 404: return "We couldn't find that page. It may have been archived, or the link may be wrong.";
    default: return "Something went wrong on our side. It has been logged; please try again.";
  }
}

// Loads the viewer from the session. nullopt: not signed in. An error page: signed in but no access.
std::variant<std::monostate, Viewer, web::Response> load_viewer(PageContext& ctx, bool need_company) {
  if (!ctx.session) return std::monostate{};
  auto uid_it = ctx.session->data.find(kSessionUserKey);
  if (uid_it == ctx.session->data.end()) return std::monostate{};
  auto uid = parse_id(uid_it->second);
  if (!uid) return std::monostate{};
  auto user = ctx.services.accounts.get_user(*uid);
  if (!user || user->status != UserStatus::active) {
    ctx.sign_out();
    return std::monostate{};
  }
  Viewer v;
  v.user = *user;
  auto companies = ctx.services.accounts.memberships_of(*uid);
  if (!companies) return ctx.error_response(companies.error());
  v.companies = *companies;
  std::optional<int64_t> cid;
  if (auto it = ctx.session->data.find(kSessionCompanyKey); it != ctx.session->data.end()) cid = parse_id(it->second);
  const CompanyAccess* current = nullptr;
  for (const auto& c : v.companies)
    if (cid && c.company_id == *cid) current = &c;
  if (!current && !v.companies.empty() && !cid) {
    current = &v.companies.front();
    ctx.set_company(current->company_id);
  }
  if (current) {
    v.company_id = current->company_id;
    v.company_name = current->company_name;
    v.role = current->role;
  } else if (need_company) {
    ctx.viewer = v;
    ViewData view;
    view.set("has_other", !v.companies.empty());
    ViewData list{ViewData::type::list};
    for (const auto& c : v.companies) {
      ViewData row;
      row.set("id", std::to_string(c.company_id));
      row.set("name", c.company_name);
      list.push_back(row);
    }
    view.set("companies", list);
    return ctx.page("no_access", "No access", std::move(view), "", 403);
  }
  return v;
}

// The session manager writes its cookie into a Response; keep those headers for the final response.
void capture_cookies(const web::Response& scratch, std::vector<std::string>& out) {
  for (const auto& [k, v] : scratch.headers)
    if (k == "Set-Cookie") out.push_back(v);
}

// Single logout by polling (spec 3.8) for sessions that came from SSO: see sso_session.hpp for the
// policy. A response when the user must go back through SSO (the local session is already ended).
std::optional<web::Response> recheck_sso_session(PageContext& ctx) {
  if (!ctx.session) return std::nullopt;
  auto mno_session = load_mno_session(ctx.session->data);
  if (!mno_session) return std::nullopt;
  auto m = ctx.services.registry.find(mno_session->marketplace);
  auto r = recheck_mno_session(ctx.session->data, m.get(), ctx.services.http.get(), ctx.services.clock);
  if (r.data_changed) ctx.session->dirty = true;
  if (r.decision != mno::sso::SessionDecision::reauthenticate) return std::nullopt;
  mno::log::info("sso.session_ended", {{"marketplace", mno_session->marketplace}, {"reason", r.reason}});
  ctx.sign_out();
  return ctx.redirect(m ? sso_init_location(*m, mno_session->group_uid) : std::string("/login"));
}

// Logout of an SSO user (spec 3.8): a handler that ended the session and sent the user to /login
// sends them to the platform's logout URL instead, so the marketplace session ends too.
void redirect_sso_logout(PageContext& ctx, const std::optional<mno::sso::MnoSession>& before, web::Response& res) {
  if (!before || ctx.session || res.status / 100 != 3) return;
  auto location = res.header("location");
  if (!location || *location != "/login") return;
  if (auto m = ctx.services.registry.find(before->marketplace)) {
    auto url = mno::sso::logout_url(*m, before->uid);
    res.set_header("Location", url);
    // Browsers apply form-action to the redirects that follow a form POST: without the platform's
    // origin here, Chromium aborts the logout redirect to the marketplace.
    if (auto origin = url_origin(url); !origin.empty())
      res.set_header("Content-Security-Policy", content_security_policy(origin));
  }
}

}  // namespace

std::optional<int64_t> parse_id(const std::string& text) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

std::string PageContext::csrf_token() {
  if (!session) {
    web::Response scratch;
    session = services.sessions.start(req, scratch);
    capture_cookies(scratch, pending_set_cookies);
    session->dirty = true;
  }
  return session->csrf_token;
}

void PageContext::sign_in(int64_t user_id, int64_t company_id) {
  web::Response scratch;
  session = services.sessions.start(req, scratch);  // rotates the id and the CSRF token
  pending_set_cookies.clear();  // the rotated cookie supersedes any earlier one
  capture_cookies(scratch, pending_set_cookies);
  session->data.clear();
  session->data[kSessionUserKey] = std::to_string(user_id);
  if (company_id > 0) session->data[kSessionCompanyKey] = std::to_string(company_id);
  session->dirty = true;
}

void PageContext::sign_out() {
  web::Response scratch;
  services.sessions.destroy(req, scratch);
  pending_set_cookies.clear();
  capture_cookies(scratch, pending_set_cookies);
  session.reset();
}

void PageContext::set_company(int64_t company_id) {
  if (!session) return;
  session->data[kSessionCompanyKey] = std::to_string(company_id);
  session->dirty = true;
}

void PageContext::flash(const std::string& message, const std::string& kind) {
  csrf_token();  // makes sure a session exists
  session->data["flash"] = message;
  session->data["flash_kind"] = kind;
  session->dirty = true;
}

web::Response PageContext::page(std::string_view name, const std::string& title, ViewData view, std::string_view section,
                                int status) {
  view.set("csrf", csrf_token());
  if (session) {
    if (auto it = session->data.find("flash"); it != session->data.end()) {
      view.set("flash", it->second);
      view.set("flash_kind", session->data["flash_kind"]);
      session->data.erase("flash");
      session->data.erase("flash_kind");
      session->dirty = true;
    }
  }
  if (viewer) {
    view.set("signed_in", true);
    view.set("user_name", viewer->user.display_name());
    view.set("user_email", viewer->user.email);
    view.set("company_name", viewer->company_name);
    view.set("has_company", viewer->company_id > 0);
    view.set("is_admin", can_manage_team(viewer->role));
    view.set("role_name", std::string(display_name(viewer->role)));
    ViewData list{ViewData::type::list};
    for (const auto& c : viewer->companies) {
      ViewData row;
      row.set("id", std::to_string(c.company_id));
      row.set("name", c.company_name);
      row.set("current", c.company_id == viewer->company_id);
      list.push_back(row);
    }
    view["companies"] = std::move(list);
    view.set("several_companies", viewer->companies.size() > 1);
  }
  if (!section.empty()) view.set("nav_" + std::string(section), true);
  // Moved, not copied: a list page's view holds every row, and copying it cost more than rendering.
  return web::Response::html(status, render_page(name, title, std::move(view)));
}

web::Response PageContext::redirect(const std::string& location) { return web::Response::redirect(location); }

web::Response PageContext::error_page(int status, const std::string& message) {
  ViewData view;
  view.set("status", std::to_string(status));
  view.set("heading", error_title(status));
  view.set("message", message.empty() ? default_message(status) : message);
  return page("error", error_title(status), view, "", status);
}

web::Response PageContext::error_response(const mno::Error& e) {
  if (e.code == "record.not_found") return error_page(404);
  if (e.code == "auth.forbidden") return error_page(403, e.message);
  if (e.code == "record.stale" || e.code == "record.in_use") return error_page(409, e.message);
  mno::log::error("page.error", {{"path", req.path}, {"code", e.code}, {"message", e.message}});
  return error_page(500);
}

web::Response PageContext::finish(web::Response res) {
  for (const auto& c : pending_set_cookies) res.add_header("Set-Cookie", c);
  if (session && session->dirty) {
    if (auto s = services.sessions.save(*session); !s)
      mno::log::error("session.save_failed", {{"code", s.error().code}, {"message", s.error().message}});
  }
  add_security_headers(res);
  return res;
}

void add_page(web::Router& router, Services& services, std::string_view method, std::string_view pattern, Access access,
              PageHandler handler, size_t max_body) {
  auto run = [&services, access, handler = std::move(handler)](web::Request& req) -> web::Response {
    PageContext ctx(req, services);
    try {
      ctx.session = services.sessions.attach(req);
      if (req.method == "POST" && !(ctx.session && services.sessions.csrf_ok(req)))
        return ctx.finish(ctx.error_page(403, "This form has expired or did not come from Tally. Go back, reload the page and try again."));
      if (access != Access::public_page)
        if (auto ended = recheck_sso_session(ctx)) return ctx.finish(std::move(*ended));
      if (access != Access::public_page) {
        auto loaded = load_viewer(ctx, access != Access::signed_in);
        if (auto* res = std::get_if<web::Response>(&loaded)) return ctx.finish(std::move(*res));
        if (std::holds_alternative<std::monostate>(loaded)) {
          if (req.method == "GET") return ctx.finish(ctx.redirect("/login?next=" + web::url_encode(req.target)));
          return ctx.finish(ctx.error_page(403, "Your session has ended. Please sign in again."));
        }
        ctx.viewer = std::get<Viewer>(std::move(loaded));
        if (access == Access::company_admin && !can_manage_team(ctx.viewer->role))
          return ctx.finish(ctx.error_page(403, "Only company admins can do that."));
      } else if (auto loaded = load_viewer(ctx, false); std::holds_alternative<Viewer>(loaded)) {
        ctx.viewer = std::get<Viewer>(std::move(loaded));  // public pages still show who is signed in
      }
      auto sso_before = ctx.session ? load_mno_session(ctx.session->data) : std::nullopt;
      auto res = handler(ctx);
      redirect_sso_logout(ctx, sso_before, res);
      return ctx.finish(std::move(res));
    } catch (const std::exception& e) {
      mno::log::error("page.exception", {{"path", req.path}, {"what", e.what()}});
      try {
        return ctx.finish(ctx.error_page(500));
      } catch (...) {
        return web::Response::html(500, "<h1>Something went wrong</h1>");
      }
    }
  };
  router.add(method, pattern, std::move(run), web::named(std::string(pattern), max_body));
}

void set_form(ViewData& view, const std::map<std::string, std::string>& values, const std::map<std::string, std::string>& errors) {
  for (const auto& [k, v] : values) view.set("f_" + k, v);
  for (const auto& [k, v] : errors) {
    std::string key = k;
    std::replace(key.begin(), key.end(), '.', '_');
    std::replace(key.begin(), key.end(), '[', '_');
    std::replace(key.begin(), key.end(), ']', '_');
    view.set("e_" + key, v);
  }
  view.set("has_errors", !errors.empty());
}

}  // namespace tally
