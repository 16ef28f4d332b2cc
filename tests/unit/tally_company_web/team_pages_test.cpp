// HTTP tests of the team page: who sees which controls, role changes and the service's rules shown
// as messages (last Super Admin, only a Super Admin touches Super Admins), adding an existing user by
// email, and revoking access, after which the revoked user's next request gets the no-access page.
#include "company_web_fixture.hpp"

using namespace testenv;
using tally::Role;

namespace {

class TeamPages : public CompanyWebTest {};

TEST_P(TeamPages, EveryoneSeesTheMembersWithRoleAndStatus) {
  auto ann = add_person("ann@example.com", Role::member);
  auto b = browser_for(ann);
  auto r = b->get("/app/team");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "owner@example.com"));
  EXPECT_TRUE(contains(r.body, "ann@example.com"));
  EXPECT_TRUE(contains(r.body, "data-testid=\"role-" + std::to_string(owner.user_id) + "\">Super Admin<"));
  EXPECT_TRUE(contains(r.body, "data-testid=\"status-" + std::to_string(ann.user_id) + "\">active<"));
}

TEST_P(TeamPages, AMemberSeesNoControlsAndCannotManage) {
  auto ann = add_person("ann@example.com", Role::member);
  auto bob = add_person("bob@example.com", Role::member);
  auto b = browser_for(ann);
  auto page = b->get("/app/team");
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(contains(page.body, "/role\"")) << "no role forms";
  EXPECT_FALSE(contains(page.body, "/revoke\"")) << "no revoke buttons";
  EXPECT_FALSE(contains(page.body, "add-member-form"));
  EXPECT_TRUE(contains(page.body, "data-testid=\"team-read-only\""));
  EXPECT_EQ(b->post_form("/app/team/" + std::to_string(bob.user_id) + "/role", {{"role", "admin"}}).status, 403);
  EXPECT_EQ(b->post_form("/app/team/" + std::to_string(ann.user_id) + "/role", {{"role", "super_admin"}}).status, 403);
  EXPECT_EQ(b->post_form("/app/team/" + std::to_string(bob.user_id) + "/revoke", {}).status, 403);
  EXPECT_EQ(b->post_form("/app/team", {{"email", "owner@example.com"}, {"role", "member"}}).status, 403);
  EXPECT_EQ(role_of(bob.user_id), Role::member);
  EXPECT_EQ(role_of(ann.user_id), Role::member);
  EXPECT_TRUE(app->services->accounts.membership(bob.user_id, owner.company_id).ok());
}

TEST_P(TeamPages, AnAdminChangesARole) {
  auto ann = add_person("ann@example.com", Role::member);
  auto admin = add_person("adam@example.com", Role::admin);
  auto b = browser_for(admin);
  auto page = b->get("/app/team");
  EXPECT_TRUE(contains(page.body, "data-testid=\"role-select-" + std::to_string(ann.user_id) + "\""));
  EXPECT_FALSE(contains(page.body, "value=\"super_admin\"")) << "an Admin is not offered Super Admin";
  EXPECT_FALSE(contains(page.body, "action=\"/app/team/" + std::to_string(owner.user_id) + "/role\""))
      << "an Admin cannot change a Super Admin";
  auto r = b->post_form("/app/team/" + std::to_string(ann.user_id) + "/role", {{"role", "power_user"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(role_of(ann.user_id), Role::power_user);
  auto after = b->get("/app/team");
  EXPECT_TRUE(contains(after.body, "is now Power User"));
}

TEST_P(TeamPages, TheServiceRulesAreShownAsMessages) {
  auto admin = add_person("adam@example.com", Role::admin);
  {
    Browser b(app->url);
    ASSERT_TRUE(b.login(owner.email, owner.password));
    b.get("/app/team");
    auto r = b.post_form("/app/team/" + std::to_string(owner.user_id) + "/role", {{"role", "admin"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(contains(r.body, "data-testid=\"team-error\""));
    EXPECT_TRUE(contains(r.body, "at least one Super Admin"));
    EXPECT_EQ(role_of(owner.user_id), Role::super_admin);
    auto revoke_self = b.post_form("/app/team/" + std::to_string(owner.user_id) + "/revoke", {});
    EXPECT_EQ(revoke_self.status, 409);
  }
  auto b = browser_for(admin);
  b->get("/app/team");
  auto r = b->post_form("/app/team/" + std::to_string(owner.user_id) + "/role", {{"role", "member"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(contains(r.body, "Only a Super Admin can grant or remove the Super Admin role."));
  EXPECT_EQ(role_of(owner.user_id), Role::super_admin);
  auto bad = b->post_form("/app/team/" + std::to_string(admin.user_id) + "/role", {{"role", "overlord"}});
  EXPECT_EQ(bad.status, 422);
}

TEST_P(TeamPages, ASecondSuperAdminAllowsTheFirstToStepDown) {
  auto sue = add_person("sue@example.com", Role::member);
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/team");
  ASSERT_EQ(b.post_form("/app/team/" + std::to_string(sue.user_id) + "/role", {{"role", "super_admin"}}).status, 303);
  b.get("/app/team");
  ASSERT_EQ(b.post_form("/app/team/" + std::to_string(owner.user_id) + "/role", {{"role", "member"}}).status, 303);
  EXPECT_EQ(role_of(owner.user_id), Role::member);
  auto page = b.get("/app/team");
  EXPECT_FALSE(contains(page.body, "add-member-form")) << "the former owner now sees the read-only page";
}

TEST_P(TeamPages, AddAnExistingUserByEmail) {
  auto carl = app->create_account("carl@example.com", "Carl's");
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/team");
  auto r = b.post_form("/app/team", {{"email", "CARL@example.com"}, {"role", "power_user"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(role_of(carl.user_id), Role::power_user);
  auto page = b.get("/app/team");
  EXPECT_TRUE(contains(page.body, "was added to the team as Power User"));
  EXPECT_TRUE(contains(page.body, "data-testid=\"member-" + std::to_string(carl.user_id) + "\""));
  auto again = b.post_form("/app/team", {{"email", "carl@example.com"}, {"role", "member"}});
  EXPECT_EQ(again.status, 422);
  EXPECT_TRUE(contains(again.body, "is already a member"));
}

TEST_P(TeamPages, AnUnknownEmailIsAFieldError) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/team");
  auto r = b.post_form("/app/team", {{"email", "nobody@example.com"}, {"role", "member"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "data-testid=\"error-email\">Email no user with this email"));
  EXPECT_EQ(form_value(r.body, "email"), "nobody@example.com");
  auto bad_role = b.post_form("/app/team", {{"email", "owner@example.com"}, {"role", "king"}});
  EXPECT_EQ(bad_role.status, 422);
  EXPECT_TRUE(contains(bad_role.body, "data-testid=\"error-role\""));
}

TEST_P(TeamPages, ARevokedMemberGetsTheNoAccessPageOnTheNextRequest) {
  auto dan = add_person("dan@example.com", Role::member);
  auto dans = browser_for(dan);
  auto before = dans->get("/app");
  ASSERT_EQ(before.status, 200);
  EXPECT_TRUE(contains(before.body, "<h1 class=\"page-title\">Acme</h1>"));

  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/team");
  auto r = b.post_form("/app/team/" + std::to_string(dan.user_id) + "/revoke", {});
  ASSERT_EQ(r.status, 303) << r.body;
  auto page = b.get("/app/team");
  EXPECT_TRUE(contains(page.body, "no longer has access"));
  EXPECT_TRUE(contains(page.body, "data-testid=\"status-" + std::to_string(dan.user_id) + "\">revoked<"));

  auto after = dans->get("/app");
  EXPECT_EQ(after.status, 403);
  EXPECT_TRUE(contains(after.body, "You no longer have access to this company"));
  EXPECT_FALSE(contains(after.body, "<h1 class=\"page-title\">Acme</h1>"));
  EXPECT_EQ(dans->get("/app/team").status, 403);
}

TEST_P(TeamPages, AnotherCompanysUserIsNotFound) {
  auto stranger = app->create_account("stranger@example.com", "Elsewhere");
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/team");
  EXPECT_EQ(b.post_form("/app/team/" + std::to_string(stranger.user_id) + "/role", {{"role", "member"}}).status, 404);
  EXPECT_EQ(b.post_form("/app/team/" + std::to_string(stranger.user_id) + "/revoke", {}).status, 404);
  EXPECT_EQ(b.post_form("/app/team/not-a-number/revoke", {}).status, 404);
  auto theirs = app->services->accounts.membership(stranger.user_id, stranger.company_id);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(*theirs, Role::super_admin);
}

TEST_P(TeamPages, EveryTeamPostWithoutCsrfIsRefused) {
  auto ann = add_person("ann@example.com", Role::member);
  app->create_account("carl@example.com", "Carl's");
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/team");
  const auto id = std::to_string(ann.user_id);
  EXPECT_EQ(b.post_form("/app/team", {{"email", "carl@example.com"}, {"role", "member"}}, false).status, 403);
  EXPECT_EQ(b.post_form("/app/team/" + id + "/role", {{"role", "admin"}}, false).status, 403);
  EXPECT_EQ(b.post_form("/app/team/" + id + "/revoke", {}, false).status, 403);
  EXPECT_EQ(role_of(ann.user_id), Role::member);
  auto members = app->services->accounts.members(owner.company_id);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(members->size(), 2u);
}

TALLY_INSTANTIATE_DATABASE_TESTS(TeamPages);

}  // namespace
