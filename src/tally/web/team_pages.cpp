// See team_pages.hpp. A Member or Power User sees the list only; the management routes require
// Access::company_admin and AccountService checks the finer rules again (only a Super Admin grants
// or removes Super Admin; the last Super Admin stays). When the service refuses, the team page is
// shown again with its message and a matching status, so the admin sees why.
#include "tally/web/team_pages.hpp"

#include "tally/web/page_context.hpp"

namespace tally {
namespace {

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

constexpr Role kRoles[] = {Role::member, Role::power_user, Role::admin, Role::super_admin};

// The roles this viewer may hand out; the service enforces the same rule.
bool may_grant(Role viewer, Role role) { return can_manage_team(viewer) && (role != Role::super_admin || viewer == Role::super_admin); }

ViewData role_options(Role viewer, Role selected) {
  ViewData list{ViewData::type::list};
  for (Role r : kRoles) {
    if (!may_grant(viewer, r)) continue;
    ViewData o;
    o.set("value", std::string(to_string(r)));
    o.set("label", std::string(display_name(r)));
    o.set("selected", r == selected);
    list.push_back(o);
  }
  return list;
}

struct TeamForm {
  std::string email;
  std::string role = "member";
  std::map<std::string, std::string> errors;
  std::string error;  // a refusal from the service, shown above the list
};

web::Response render_team(PageContext& ctx, const TeamForm& form, int status = 200) {
  auto members = ctx.services.accounts.members(ctx.viewer->company_id, true);
  if (!members) return ctx.error_response(members.error());
  const Role me = ctx.viewer->role;
  const bool admin = can_manage_team(me);
  ViewData rows{ViewData::type::list};
  int active = 0;
  for (const auto& m : *members) {
    const bool is_active = m.status == MembershipStatus::active;
    const bool is_self = m.user_id == ctx.viewer->user.id;
    // Only a Super Admin may touch a Super Admin's membership.
    const bool manageable = admin && is_active && (m.role != Role::super_admin || me == Role::super_admin);
    if (is_active) ++active;
    ViewData row;
    row.set("user_id", std::to_string(m.user_id));
    std::string name = m.first_name + (m.first_name.empty() || m.last_name.empty() ? "" : " ") + m.last_name;
    row.set("name", name.empty() ? m.email : name);
    row.set("email", m.email);
    row.set("role", std::string(to_string(m.role)));
    row.set("role_name", std::string(display_name(m.role)));
    row.set("status", std::string(to_string(m.status)));
    row.set("active", is_active);
    row.set("joined", m.joined_at.substr(0, 10));
    row.set("is_self", is_self);
    row.set("can_change_role", manageable);
    row.set("can_revoke", manageable && !is_self);
    row.set("role_options", role_options(me, m.role));
    rows.push_back(row);
  }
  ViewData view;
  view.set("members", rows);
  view.set("member_count", std::to_string(active));
  view.set("can_manage", admin);
  view.set("add_role_options", role_options(me, parse_role(form.role).value_or(Role::member)));
  set_form(view, {{"email", form.email}}, form.errors);
  if (!form.error.empty()) view.set("error", form.error);
  return ctx.page("team", "Team", std::move(view), "team", status);
}

// Maps a refusal from AccountService to the team page with its message (or an error page for 404/500).
web::Response refused(PageContext& ctx, const mno::Error& e) {
  TeamForm form;
  form.error = e.message;
  if (e.code == "auth.forbidden") return render_team(ctx, form, 403);
  if (e.code == "record.in_use") return render_team(ctx, form, 409);
  return ctx.error_response(e);
}

std::string member_label(PageContext& ctx, int64_t user_id) {
  auto user = ctx.services.accounts.get_user(user_id);
  return user ? user->display_name() : std::string("The member");
}

}  // namespace

void add_team_pages(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/app/team", Access::company_member, [](PageContext& ctx) { return render_team(ctx, {}); });

  add_page(router, services, "POST", "/app/team", Access::company_admin, [](PageContext& ctx) {
    auto form = ctx.req.form();
    TeamForm tf;
    tf.email = field(form, "email");
    tf.role = field(form, "role");
    auto role = parse_role(tf.role);
    if (!role) {
      tf.errors["role"] = "must be Member, Power User, Admin or Super Admin";
      return render_team(ctx, tf, 422);
    }
    auto added = ctx.services.accounts.add_member(ctx.viewer->user.id, ctx.viewer->company_id, tf.email, *role);
    if (!added) {
      if (added.error().code != "validation.failed") return refused(ctx, added.error());
      tf.errors = added.error().fields;
      return render_team(ctx, tf, 422);
    }
    ctx.flash(added->email + " was added to the team as " + std::string(display_name(added->role)) + ".");
    return ctx.redirect("/app/team");
  });

  add_page(router, services, "POST", "/app/team/{user_id}/role", Access::company_admin, [](PageContext& ctx) {
    auto target = parse_id(ctx.req.params["user_id"]);
    if (!target) return ctx.error_page(404);
    auto role = parse_role(field(ctx.req.form(), "role"));
    if (!role) {
      TeamForm tf;
      tf.error = "Choose one of the roles in the list.";
      return render_team(ctx, tf, 422);
    }
    if (auto s = ctx.services.accounts.set_role(ctx.viewer->user.id, ctx.viewer->company_id, *target, *role); !s)
      return refused(ctx, s.error());
    ctx.flash(member_label(ctx, *target) + " is now " + std::string(display_name(*role)) + ".");
    return ctx.redirect("/app/team");
  });

  add_page(router, services, "POST", "/app/team/{user_id}/revoke", Access::company_admin, [](PageContext& ctx) {
    auto target = parse_id(ctx.req.params["user_id"]);
    if (!target) return ctx.error_page(404);
    if (auto s = ctx.services.accounts.revoke_member(ctx.viewer->user.id, ctx.viewer->company_id, *target); !s)
      return refused(ctx, s.error());
    ctx.flash(member_label(ctx, *target) + " no longer has access to the company.");
    return ctx.redirect("/app/team");
  });
}

}  // namespace tally
