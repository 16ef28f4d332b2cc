// HTTP tests of the company settings page: view, save, field errors, the stale-version conflict
// (409), and that Members see a read-only page and cannot save. On SQLite and PostgreSQL.
#include "company_web_fixture.hpp"

using namespace testenv;

namespace {

class SettingsPages : public CompanyWebTest {};

TEST_P(SettingsPages, AdminSeesTheFormWithTheCurrentValues) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  auto r = b.get("/app/settings");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "data-testid=\"settings-form\""));
  EXPECT_EQ(form_value(r.body, "name"), "Acme");
  EXPECT_EQ(form_value(r.body, "currency"), "EUR");
  EXPECT_EQ(form_value(r.body, "timezone"), "UTC");
  EXPECT_EQ(form_value(r.body, "country"), "FR");
  EXPECT_EQ(form_value(r.body, "version"), "1");
  EXPECT_TRUE(contains(r.body, "aria-current=\"page\">Company settings")) << "the sub-navigation marks the section";
}

TEST_P(SettingsPages, SaveNormalisesAndRedirectsWithAMessage) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/settings");
  auto r = b.post_form("/app/settings", {{"name", " Acme Pty "}, {"currency", "aud"}, {"timezone", "Australia/Sydney"},
                                         {"country", "au"}, {"version", "1"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(*r.header("location"), "/app/settings");
  auto c = app->services->companies.get(owner.company_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->name, "Acme Pty");
  EXPECT_EQ(c->currency, "AUD");
  EXPECT_EQ(c->timezone, "Australia/Sydney");
  EXPECT_EQ(c->country, "AU");
  EXPECT_EQ(c->version, 2);
  auto page = b.get("/app/settings");
  EXPECT_TRUE(contains(page.body, "The company settings were saved."));
  EXPECT_EQ(form_value(page.body, "version"), "2");
  EXPECT_TRUE(contains(page.body, "data-testid=\"current-company\">Acme Pty<")) << "the top bar shows the new name";
}

TEST_P(SettingsPages, FieldErrorsAreShownNextToTheFieldsAndNothingIsSaved) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/settings");
  auto r = b.post_form("/app/settings", {{"name", ""}, {"currency", "euro"}, {"timezone", "Not a zone!"},
                                         {"country", "FRA"}, {"version", "1"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "data-testid=\"error-name\">Company name is required"));
  EXPECT_TRUE(contains(r.body, "data-testid=\"error-currency\">Currency must be 3 letters"));
  EXPECT_TRUE(contains(r.body, "data-testid=\"error-timezone\""));
  EXPECT_TRUE(contains(r.body, "data-testid=\"error-country\""));
  EXPECT_EQ(form_value(r.body, "currency"), "euro") << "what was typed is kept";
  auto c = app->services->companies.get(owner.company_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->name, "Acme");
  EXPECT_EQ(c->version, 1);
}

TEST_P(SettingsPages, AStaleVersionIsRefusedWithAClearMessage) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  auto form = b.get("/app/settings");
  auto version = form_value(form.body, "version");
  ASSERT_EQ(version, "1");
  // Someone else saves first (another tab, another admin).
  ASSERT_TRUE(app->services->companies.update_settings(owner.company_id, {"Acme Other", "EUR", "UTC", "FR"}, 1).ok());
  auto r = b.post_form("/app/settings", {{"name", "Acme Mine"}, {"currency", "EUR"}, {"timezone", "UTC"},
                                         {"country", "FR"}, {"version", *version}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, "data-testid=\"stale-message\""));
  EXPECT_TRUE(contains(r.body, "changed by someone else since you opened"));
  EXPECT_EQ(form_value(r.body, "name"), "Acme Mine") << "the admin's typing is not lost";
  EXPECT_EQ(app->services->companies.get(owner.company_id)->name, "Acme Other") << "the other change is not overwritten";
}

TEST_P(SettingsPages, AMissingVersionIsABadRequest) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/settings");
  auto r = b.post_form("/app/settings", {{"name", "X"}, {"currency", "EUR"}, {"timezone", "UTC"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(app->services->companies.get(owner.company_id)->name, "Acme");
}

TEST_P(SettingsPages, MembersSeeTheSettingsReadOnlyAndCannotSave) {
  for (auto role : {tally::Role::member, tally::Role::power_user}) {
    auto who = add_person(std::string(tally::to_string(role)) + "@example.com", role);
    auto b = browser_for(who);
    auto page = b->get("/app/settings");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "data-testid=\"read-only\""));
    EXPECT_TRUE(contains(page.body, "data-testid=\"setting-name\">Acme<"));
    EXPECT_FALSE(contains(page.body, "action=\"/app/settings\"")) << "no form for a " << tally::to_string(role);
    auto r = b->post_form("/app/settings", {{"name", "Hijacked"}, {"currency", "EUR"}, {"timezone", "UTC"}, {"version", "1"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(app->services->companies.get(owner.company_id)->name, "Acme");
  }
}

TEST_P(SettingsPages, SavingWithoutCsrfIsRefused) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/settings");
  auto r = b.post_form("/app/settings", {{"name", "No CSRF"}, {"currency", "EUR"}, {"timezone", "UTC"}, {"version", "1"}}, false);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(app->services->companies.get(owner.company_id)->name, "Acme");
}

TEST_P(SettingsPages, SignedOutVisitorsAreSentToLogin) {
  Browser b(app->url);
  for (const char* path : {"/app/settings", "/app/team", "/app/api-tokens", "/app/billing", "/app/data-sharing"}) {
    auto r = b.get(path);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(r.header("location")->rfind("/login?next=", 0), 0u) << path;
  }
}

TALLY_INSTANTIATE_DATABASE_TESTS(SettingsPages);

}  // namespace
