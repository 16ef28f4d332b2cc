// HTTP tests of the app shell around the company pages: the billing page and the data-sharing page
// render for every member (billing itself is tested in tests/unit/tally_billing), the sub-navigation marks the current section, the stylesheet is served,
// and a hostile company name is escaped on every page. On SQLite and PostgreSQL.
#include "company_web_fixture.hpp"

using namespace testenv;

namespace {

class PlaceholderPages : public CompanyWebTest {};

TEST_P(PlaceholderPages, BillingAndDataSharingRenderForMembers) {
  auto ann = add_person("ann@example.com", tally::Role::member);
  auto b = browser_for(ann);
  auto billing = b->get("/app/billing");
  ASSERT_EQ(billing.status, 200);
  // A direct sign-up: no marketplace, so no platform billing.
  EXPECT_TRUE(contains(billing.body, "data-testid=\"billing-none\""));
  EXPECT_TRUE(contains(billing.body, "aria-current=\"page\">Billing<"));
  auto sharing = b->get("/app/data-sharing");
  ASSERT_EQ(sharing.status, 200);
  EXPECT_TRUE(contains(sharing.body, "data-testid=\"data-sharing\""));
  EXPECT_TRUE(contains(sharing.body, "Connec!"));
  EXPECT_TRUE(contains(sharing.body, "Records needing attention"));
  EXPECT_TRUE(contains(sharing.body, "aria-current=\"page\">Data sharing<"));
}

TEST_P(PlaceholderPages, BillingShowsTheTrialEndWhileTrialing) {
  ASSERT_TRUE(app->services->companies.set_status(owner.company_id, tally::CompanyStatus::trialing, "2031-05-01T00:00:00Z").ok());
  // As if a marketplace had provisioned it (the group's free-trial end is the trial end).
  ASSERT_TRUE(app->db->execute("UPDATE companies SET marketplace = 'mkt', external_uid = 'cld-9' WHERE id = $1",
                               {owner.company_id}).ok());
  ASSERT_TRUE(app->services->billing.start(owner.company_id).ok());
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  auto r = b.get("/app/billing");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "data-testid=\"trial-ends\">2031-05-01"));
  EXPECT_TRUE(contains(r.body, "badge-trialing"));
  EXPECT_TRUE(contains(r.body, "Next charge"));
}

TEST_P(PlaceholderPages, TheStylesheetIsServed) {
  Browser b(app->url);
  auto css = b.get("/static/app.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_TRUE(contains(css.body, ".topbar"));
  EXPECT_TRUE(contains(css.body, "@media (max-width: 640px)"));
}

TALLY_INSTANTIATE_DATABASE_TESTS(PlaceholderPages);

class HostileCompanyName : public CompanyWebTest {
 protected:
  std::string company_name() const override { return "<script>alert(1)</script>"; }
};

TEST_P(HostileCompanyName, IsEscapedOnEveryPage) {
  auto ann = add_person("ann@example.com", tally::Role::member);
  ASSERT_TRUE(app->services->tokens.create(owner.user_id, owner.company_id, "<b>token</b>").ok());
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app");
  // A second company makes the layout show the switcher (the name inside <option>) too.
  auto other = app->create_account("owner2@example.com", "\"><img src=x>");
  ASSERT_TRUE(app->services->accounts.add_member(other.user_id, other.company_id, owner.email, tally::Role::member).ok());
  for (const char* path : {"/app", "/app/settings", "/app/team", "/app/api-tokens", "/app/billing", "/app/data-sharing"}) {
    auto r = b.get(path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_FALSE(contains(r.body, "<script>alert(1)")) << path;
    EXPECT_TRUE(contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;")) << path;
    EXPECT_FALSE(contains(r.body, "<img src=x>")) << path;
    EXPECT_FALSE(contains(r.body, "<b>token</b>")) << path;
  }
  // The pages rendered from a POST (errors, the new token) escape too.
  b.get("/app/settings");
  auto stale = b.post_form("/app/settings", {{"name", "<script>alert(2)</script>"}, {"currency", "x"}, {"timezone", "UTC"}, {"version", "1"}});
  EXPECT_EQ(stale.status, 422);
  EXPECT_FALSE(contains(stale.body, "<script>alert(2)"));
  auto token = b.post_form("/app/api-tokens", {{"name", "<script>alert(3)</script>"}});
  EXPECT_EQ(token.status, 201);
  EXPECT_FALSE(contains(token.body, "<script>alert(3)"));
  auto member = browser_for(ann);
  auto team = member->get("/app/team");
  EXPECT_FALSE(contains(team.body, "<script>alert(1)"));
}

TALLY_INSTANTIATE_DATABASE_TESTS(HostileCompanyName);

}  // namespace
