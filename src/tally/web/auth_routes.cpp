// See auth_routes.hpp. The login page never says which of email or password was wrong; throttled
// attempts say how long to wait. Every sign-in rotates the session id.
#include "tally/web/auth_routes.hpp"

#include "mno/util/log.hpp"
#include "tally/web/page_context.hpp"

namespace tally {
namespace {

// Only same-site relative paths are followed after login (no open redirect).
std::string safe_next(const std::string& next) {
  if (next.size() > 1 && next[0] == '/' && next[1] != '/' && next[1] != '\\' && next.find("://") == std::string::npos)
    return next;
  return "/app";
}

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

int64_t first_company(Services& s, int64_t user_id) {
  auto companies = s.accounts.memberships_of(user_id);
  return companies && !companies->empty() ? companies->front().company_id : 0;
}

}  // namespace

void add_auth_routes(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/login", Access::public_page, [](PageContext& ctx) {
    if (ctx.viewer) return ctx.redirect("/app");
    ViewData view;
    view.set("next", ctx.req.query_param("next").value_or(""));
    return ctx.page("login", "Log in", std::move(view));
  });

  add_page(router, services, "POST", "/login", Access::public_page, [](PageContext& ctx) {
    auto form = ctx.req.form();
    auto email = field(form, "email");
    auto user = ctx.services.accounts.authenticate(email, field(form, "password"), ctx.req.remote_addr);
    if (!user) {
      ViewData view;
      view.set("next", field(form, "next"));
      set_form(view, {{"email", email}}, {});
      const bool throttled = user.error().code == "auth.throttled";
      view.set("error", throttled ? user.error().message : std::string("Email or password is incorrect."));
      mno::log::info("auth.login_failed", {{"code", user.error().code}, {"remote", ctx.req.remote_addr}});
      return ctx.page("login", "Log in", std::move(view), "", throttled ? 429 : 401);
    }
    ctx.sign_in(user->id, first_company(ctx.services, user->id));
    mno::log::info("auth.login", {{"user_id", std::to_string(user->id)}});
    return ctx.redirect(safe_next(field(form, "next")));
  });

  add_page(router, services, "GET", "/signup", Access::public_page, [](PageContext& ctx) {
    if (ctx.viewer) return ctx.redirect("/app");
    ViewData view;
    set_form(view, {{"currency", "EUR"}, {"timezone", "UTC"}}, {});
    return ctx.page("signup", "Sign up", std::move(view));
  });

  add_page(router, services, "POST", "/signup", Access::public_page, [](PageContext& ctx) {
    auto form = ctx.req.form();
    SignUpInput in{field(form, "email"),        field(form, "password"), field(form, "first_name"),
                   field(form, "last_name"),    field(form, "company_name"), field(form, "currency"),
                   field(form, "timezone"),     field(form, "country")};
    auto result = ctx.services.accounts.sign_up(in);
    if (!result) {
      if (result.error().code != "validation.failed") return ctx.error_response(result.error());
      ViewData view;
      set_form(view,
               {{"email", in.email}, {"first_name", in.first_name}, {"last_name", in.last_name},
                {"company_name", in.company_name}, {"currency", in.currency}, {"timezone", in.timezone}, {"country", in.country}},
               result.error().fields);
      return ctx.page("signup", "Sign up", std::move(view), "", 422);
    }
    ctx.sign_in(result->user.id, result->company.id);
    ctx.flash("Welcome to Tally! Your company " + result->company.name + " is ready.");
    mno::log::info("auth.signup", {{"user_id", std::to_string(result->user.id)}, {"company_id", std::to_string(result->company.id)}});
    return ctx.redirect("/app");
  });

  add_page(router, services, "POST", "/logout", Access::public_page, [](PageContext& ctx) {
    ctx.sign_out();
    return ctx.redirect("/login");
  });

  add_page(router, services, "POST", "/app/switch-company", Access::signed_in, [](PageContext& ctx) {
    auto id = parse_id(field(ctx.req.form(), "company_id"));
    for (const auto& c : ctx.viewer->companies)
      if (id && c.company_id == *id) {
        ctx.set_company(*id);
        return ctx.redirect("/app");
      }
    return ctx.error_page(404);
  });

  add_page(router, services, "GET", "/account/password", Access::signed_in, [](PageContext& ctx) {
    ViewData view;
    view.set("has_password", ctx.viewer->user.has_password);
    return ctx.page("password", "Password", std::move(view), "account");
  });

  add_page(router, services, "POST", "/account/password", Access::signed_in, [](PageContext& ctx) {
    auto form = ctx.req.form();
    const auto& user = ctx.viewer->user;
    auto s = user.has_password
                 ? ctx.services.accounts.change_password(user.id, field(form, "current_password"), field(form, "new_password"))
                 : ctx.services.accounts.set_password(user.id, field(form, "new_password"));
    if (!s) {
      if (s.error().code != "validation.failed" && s.error().code != "auth.invalid_credentials")
        return ctx.error_response(s.error());
      ViewData view;
      view.set("has_password", user.has_password);
      auto fields = s.error().fields;
      if (s.error().code == "auth.invalid_credentials") fields["current_password"] = "is not correct";
      set_form(view, {}, fields);
      return ctx.page("password", "Password", std::move(view), "account", 422);
    }
    ctx.flash("Your password was saved.");
    return ctx.redirect("/app");
  });
}

}  // namespace tally
