// API tokens: shown once, stored only as SHA-256, authenticate to {user, company}, revocation,
// and loss of access when the membership or company goes.
#include "mno/util/random.hpp"
#include "tally/domain/api_token_service.hpp"
#include "tally/domain/company_service.hpp"
#include "tally/domain/secret_digest.hpp"
#include "tenancy_fixture.hpp"

using namespace tally;
using namespace tenancy_test;
using namespace std::chrono_literals;

class ApiTokenTest : public TenancyTest {
 protected:
  ApiTokenService tokens() { return ApiTokenService(database(), clock, random); }
  mno::SeededRandom random{42};
};

TEST_P(ApiTokenTest, CreateAuthenticateRevoke) {
  auto [uid, cid] = make_account("ada@example.com");
  auto svc = tokens();
  auto created = svc.create(uid, cid, "  CI pipeline ");
  ASSERT_OK(created);
  const std::string token = created->plaintext;
  EXPECT_EQ(token.rfind("tly_", 0), 0u);
  EXPECT_EQ(token.size(), 4u + 43u);  // url_token(32): 43 base64url characters
  EXPECT_EQ(created->token.name, "CI pipeline");
  EXPECT_EQ(created->token.hint, token.substr(0, 8));
  EXPECT_EQ(created->token.company_name, "Acme");

  // Only the hash is stored.
  auto stored = database().query("SELECT token_hash FROM api_tokens");
  ASSERT_OK(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].text("token_hash"), sha256_hex(token));
  auto leak = database().query("SELECT COUNT(*) AS n FROM api_tokens WHERE token_hash = $1 OR name = $1 OR hint = $1",
                               {token});
  ASSERT_OK(leak);
  EXPECT_EQ((*leak)[0].i64("n"), 0);

  auto p = svc.authenticate(token);
  ASSERT_OK(p);
  EXPECT_EQ(p->user.id, uid);
  EXPECT_EQ(p->company_id, cid);
  EXPECT_EQ(p->role, Role::super_admin);
  auto listed = svc.list(uid);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].last_used_at, "2027-01-15T08:00:00Z");

  EXPECT_ERROR_CODE(svc.authenticate(token + "x"), "auth.invalid_token");
  EXPECT_ERROR_CODE(svc.authenticate(""), "auth.invalid_token");
  EXPECT_ERROR_CODE(svc.authenticate("Bearer " + token), "auth.invalid_token");

  auto [other, other_co] = make_account("bob@example.com", "Bob Co");
  EXPECT_ERROR_CODE(svc.revoke(other, created->token.id), "record.not_found");
  ASSERT_OK(svc.revoke(uid, created->token.id));
  ASSERT_OK(svc.revoke(uid, created->token.id));
  EXPECT_ERROR_CODE(svc.authenticate(token), "auth.invalid_token");
  listed = svc.list(uid);
  ASSERT_OK(listed);
  EXPECT_TRUE((*listed)[0].revoked_at);
}

TEST_P(ApiTokenTest, LastUsedIsRecordedAtMostOncePerMinute) {
  auto [uid, cid] = make_account("ada@example.com");
  auto svc = tokens();
  auto created = svc.create(uid, cid, "t");
  ASSERT_OK(created);
  ASSERT_OK(svc.authenticate(created->plaintext));
  clock.advance(30s);
  ASSERT_OK(svc.authenticate(created->plaintext));
  EXPECT_EQ((*svc.list(uid))[0].last_used_at, "2027-01-15T08:00:00Z");
  clock.advance(30s);
  ASSERT_OK(svc.authenticate(created->plaintext));
  EXPECT_EQ((*svc.list(uid))[0].last_used_at, "2027-01-15T08:01:00Z");
}

TEST_P(ApiTokenTest, NeedsAccessToTheCompany) {
  auto [uid, cid] = make_account("ada@example.com");
  auto [bob, bob_co] = make_account("bob@example.com", "Bob Co");
  auto svc = tokens();
  EXPECT_ERROR_CODE(svc.create(uid, bob_co, "sneaky"), "auth.forbidden");
  auto empty = svc.create(uid, cid, " ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().fields.at("name"), "is required");
  EXPECT_ERROR_CODE(svc.create(uid, cid, std::string(101, 'n')), "validation.failed");

  auto acc = accounts();
  ASSERT_OK(acc.add_member(bob, bob_co, "ada@example.com", Role::member));
  auto t = svc.create(uid, bob_co, "bob co token");
  ASSERT_OK(t);
  ASSERT_OK(svc.authenticate(t->plaintext));
  ASSERT_OK(acc.revoke_member(bob, bob_co, uid));
  EXPECT_ERROR_CODE(svc.authenticate(t->plaintext), "auth.invalid_token");

  auto own = svc.create(uid, cid, "own");
  ASSERT_OK(own);
  CompanyService companies(database(), clock, sink);
  ASSERT_OK(companies.set_status(cid, CompanyStatus::blocked));
  EXPECT_ERROR_CODE(svc.authenticate(own->plaintext), "auth.invalid_token");
  ASSERT_OK(companies.set_status(cid, CompanyStatus::active));
  ASSERT_OK(svc.authenticate(own->plaintext));
  ASSERT_OK(database().execute("UPDATE users SET status = 'disabled' WHERE id = $1", {uid}));
  EXPECT_ERROR_CODE(svc.authenticate(own->plaintext), "auth.invalid_token");
}

TALLY_INSTANTIATE_DATABASE_TESTS(ApiTokenTest);
