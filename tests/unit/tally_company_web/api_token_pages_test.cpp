// HTTP tests of the API token page: the plaintext is shown once (never on a later GET), the list
// shows name and hint, revoking disables the token, another user's or company's token is a 404, and
// every POST needs the CSRF token. On SQLite and PostgreSQL.
#include <regex>

#include "company_web_fixture.hpp"

using namespace testenv;

namespace {

class ApiTokenPages : public CompanyWebTest {};

std::string new_token_in(const std::string& html) {
  std::smatch m;
  static const std::regex re("<code data-testid=\"new-token\">([^<]+)</code>");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

TEST_P(ApiTokenPages, CreateShowsThePlaintextOnceAndItWorks) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  auto empty = b.get("/app/api-tokens");
  ASSERT_EQ(empty.status, 200);
  EXPECT_TRUE(contains(empty.body, "data-testid=\"no-tokens\""));
  auto r = b.post_form("/app/api-tokens", {{"name", "Accounting export"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto token = new_token_in(r.body);
  ASSERT_EQ(token.rfind("tly_", 0), 0u) << r.body;
  EXPECT_TRUE(contains(r.body, "data-testid=\"new-token-warning\""));
  EXPECT_TRUE(contains(r.body, "only time"));
  auto principal = app->services->tokens.authenticate(token);
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->company_id, owner.company_id);

  auto later = b.get("/app/api-tokens");
  ASSERT_EQ(later.status, 200);
  EXPECT_FALSE(contains(later.body, token)) << "the plaintext is never shown again";
  EXPECT_FALSE(contains(later.body, "data-testid=\"new-token\""));
  EXPECT_TRUE(contains(later.body, "Accounting export"));
  EXPECT_TRUE(contains(later.body, token.substr(0, 8))) << "the hint identifies it";
  auto stored = app->db->query("SELECT COUNT(*) FROM sessions WHERE data LIKE '%" + token.substr(4, 12) + "%'");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->at(0).i64(0), 0) << "the plaintext is not kept in the session";
}

TEST_P(ApiTokenPages, RevokeDisablesTheToken) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/api-tokens");
  auto created = b.post_form("/app/api-tokens", {{"name", "CI"}});
  const auto token = new_token_in(created.body);
  auto list = app->services->tokens.list(owner.user_id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  const auto id = std::to_string(list->front().id);
  EXPECT_TRUE(contains(created.body, "data-testid=\"revoke-token-" + id + "\""));
  auto r = b.post_form("/app/api-tokens/" + id + "/revoke", {});
  ASSERT_EQ(r.status, 303);
  EXPECT_FALSE(app->services->tokens.authenticate(token).ok());
  auto page = b.get("/app/api-tokens");
  EXPECT_TRUE(contains(page.body, "was revoked"));
  EXPECT_TRUE(contains(page.body, "badge-revoked"));
  EXPECT_FALSE(contains(page.body, "data-testid=\"revoke-token-" + id + "\""));
}

TEST_P(ApiTokenPages, AMissingNameIsAFieldError) {
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/api-tokens");
  auto r = b.post_form("/app/api-tokens", {{"name", "  "}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(contains(r.body, "data-testid=\"error-name\""));
  EXPECT_FALSE(contains(r.body, "data-testid=\"new-token\""));
  EXPECT_TRUE(app->services->tokens.list(owner.user_id)->empty());
}

TEST_P(ApiTokenPages, MembersManageTheirOwnTokensOnly) {
  auto ann = add_person("ann@example.com", tally::Role::member);
  auto owners_token = app->services->tokens.create(owner.user_id, owner.company_id, "Owner token");
  ASSERT_TRUE(owners_token.ok());
  // Ann's token for her own company is not listed in Acme and cannot be revoked from there.
  auto anns_other = app->services->tokens.create(ann.user_id, ann.company_id, "Zeta token");
  ASSERT_TRUE(anns_other.ok());
  auto b = browser_for(ann);
  auto page = b->get("/app/api-tokens");
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(contains(page.body, "Owner token")) << "another user's tokens are not listed";
  EXPECT_FALSE(contains(page.body, "Zeta token")) << "tokens of another company are not listed";
  EXPECT_EQ(b->post_form("/app/api-tokens/" + std::to_string(owners_token->token.id) + "/revoke", {}).status, 404);
  EXPECT_EQ(b->post_form("/app/api-tokens/" + std::to_string(anns_other->token.id) + "/revoke", {}).status, 404);
  EXPECT_TRUE(app->services->tokens.authenticate(owners_token->plaintext).ok());
  EXPECT_TRUE(app->services->tokens.authenticate(anns_other->plaintext).ok());
  auto mine = b->post_form("/app/api-tokens", {{"name", "Ann's script"}});
  EXPECT_EQ(mine.status, 201) << "a Member may create tokens for herself";
}

TEST_P(ApiTokenPages, EveryTokenPostWithoutCsrfIsRefused) {
  auto existing = app->services->tokens.create(owner.user_id, owner.company_id, "Keep");
  ASSERT_TRUE(existing.ok());
  Browser b(app->url);
  ASSERT_TRUE(b.login(owner.email, owner.password));
  b.get("/app/api-tokens");
  EXPECT_EQ(b.post_form("/app/api-tokens", {{"name", "No CSRF"}}, false).status, 403);
  EXPECT_EQ(b.post_form("/app/api-tokens/" + std::to_string(existing->token.id) + "/revoke", {}, false).status, 403);
  EXPECT_EQ(app->services->tokens.list(owner.user_id)->size(), 1u);
  EXPECT_TRUE(app->services->tokens.authenticate(existing->plaintext).ok());
}

TALLY_INSTANTIATE_DATABASE_TESTS(ApiTokenPages);

}  // namespace
