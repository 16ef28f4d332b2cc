// See api_token_pages.hpp. The plaintext of a new token is rendered straight into the response to
// the POST rather than carried to a redirected GET through the session: sessions are stored in the
// database, and the whole point of hashing tokens is that no usable token is ever at rest there.
// Every member may hold tokens; each token acts with its owner's role in the current company only.
#include "tally/web/api_token_pages.hpp"

#include "tally/web/page_context.hpp"

namespace tally {
namespace {

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

// "2026-03-01T10:20:30Z" -> "2026-03-01 10:20": readable and unambiguous (UTC).
std::string short_time(const std::string& iso) {
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

// The user's tokens for the current company only: a token bound to another company is not listed
// here and cannot be revoked from here (404), like any other company's record.
mno::Result<std::vector<ApiToken>> company_tokens(PageContext& ctx) {
  auto all = ctx.services.tokens.list(ctx.viewer->user.id);
  if (!all) return all.error();
  std::vector<ApiToken> out;
  for (auto& t : *all)
    if (t.company_id == ctx.viewer->company_id) out.push_back(std::move(t));
  return out;
}

web::Response render_tokens(PageContext& ctx, ViewData view, int status = 200) {
  auto tokens = company_tokens(ctx);
  if (!tokens) return ctx.error_response(tokens.error());
  ViewData rows{ViewData::type::list};
  for (const auto& t : *tokens) {
    ViewData row;
    row.set("id", std::to_string(t.id));
    row.set("name", t.name);
    row.set("hint", t.hint);
    row.set("created", short_time(t.created_at));
    row.set("last_used", t.last_used_at ? short_time(*t.last_used_at) : std::string());
    row.set("revoked", t.revoked_at ? short_time(*t.revoked_at) : std::string());
    row.set("active", !t.revoked_at.has_value());
    rows.push_back(row);
  }
  view.set("tokens", rows);
  view.set("has_tokens", !tokens->empty());
  return ctx.page("api_tokens", "API tokens", std::move(view), "tokens", status);
}

}  // namespace

void add_api_token_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/app/api-tokens", Access::company_member,
           [](PageContext& ctx) { return render_tokens(ctx, ViewData{}); });

  add_page(router, services, "POST", "/app/api-tokens", Access::company_member, [](PageContext& ctx) {
    const std::string name = field(ctx.req.form(), "name");
    auto created = ctx.services.tokens.create(ctx.viewer->user.id, ctx.viewer->company_id, name);
    if (!created) {
      if (created.error().code != "validation.failed") return ctx.error_response(created.error());
      ViewData view;
      set_form(view, {{"name", name}}, created.error().fields);
      return render_tokens(ctx, view, 422);
    }
    ViewData view;
    view.set("new_token", created->plaintext);
    view.set("new_token_name", created->token.name);
    return render_tokens(ctx, view, 201);
  });

  add_page(router, services, "POST", "/app/api-tokens/{id}/revoke", Access::company_member, [](PageContext& ctx) {
    auto id = parse_id(ctx.req.params["id"]);
    if (!id) return ctx.error_page(404);
    auto tokens = company_tokens(ctx);
    if (!tokens) return ctx.error_response(tokens.error());
    const ApiToken* found = nullptr;
    for (const auto& t : *tokens)
      if (t.id == *id) found = &t;
    if (!found) return ctx.error_page(404);
    if (auto s = ctx.services.tokens.revoke(ctx.viewer->user.id, *id); !s) return ctx.error_response(s.error());
    ctx.flash("The token \"" + found->name + "\" was revoked; programs using it can no longer sign in.");
    return ctx.redirect("/app/api-tokens");
  });
}

}  // namespace tally
