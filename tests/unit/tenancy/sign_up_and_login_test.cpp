// Sign-up (one transaction, every validation error, duplicate emails), login with one generic
// error, database-backed throttling (also across two Database objects), and password changes.
#include <chrono>

#include "mno/db/database.hpp"
#include "tenancy_fixture.hpp"

using namespace tally;
using namespace tenancy_test;
using namespace std::chrono_literals;

class SignUpTest : public TenancyTest {
 protected:
  int64_t count(const std::string& table) {
    auto r = database().query("SELECT COUNT(*) AS n FROM " + table);
    EXPECT_TRUE(r.ok());
    return r.ok() ? (*r)[0].i64("n") : -1;
  }
};

TEST_P(SignUpTest, CreatesUserCompanyAndSuperAdminMembership) {
  auto acc = accounts();
  auto r = acc.sign_up({" Ada@Example.com ", "correct horse battery", "Ada", "Lovelace", "Acme Ltd", "eur",
                        "Europe/Paris", "fr"});
  ASSERT_OK(r);
  EXPECT_EQ(r->user.email, "Ada@Example.com");
  EXPECT_TRUE(r->user.has_password);
  EXPECT_EQ(r->user.version, 1);
  EXPECT_EQ(r->company.name, "Acme Ltd");
  EXPECT_EQ(r->company.currency, "EUR");
  EXPECT_EQ(r->company.country, "FR");
  EXPECT_EQ(r->company.status, CompanyStatus::active);
  EXPECT_EQ(r->role, Role::super_admin);
  auto role = acc.membership(r->user.id, r->company.id);
  ASSERT_OK(role);
  EXPECT_EQ(*role, Role::super_admin);
  auto stored = database().query("SELECT email_normalized, password_hash FROM users");
  ASSERT_OK(stored);
  EXPECT_EQ((*stored)[0].text("email_normalized"), "ada@example.com");
  EXPECT_EQ((*stored)[0].text("password_hash").rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(committed_events(), 1);
}

TEST_P(SignUpTest, EveryBadFieldGetsAMessageAndNothingIsCreated) {
  auto r = accounts().sign_up({"not-an-email", "short", "", "", "", "EURO", "Paris/", "FRA"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "validation.failed");
  const auto& f = r.error().fields;
  EXPECT_EQ(f.at("email"), "must be a valid email address");
  EXPECT_EQ(f.at("password"), "must be at least 10 characters");
  EXPECT_EQ(f.at("first_name"), "is required");
  EXPECT_EQ(f.at("last_name"), "is required");
  EXPECT_EQ(f.at("company_name"), "is required");
  EXPECT_EQ(f.at("currency"), "must be 3 letters, e.g. EUR");
  EXPECT_EQ(f.at("timezone"), "must be a time zone name, e.g. Europe/Paris or UTC");
  EXPECT_EQ(f.at("country"), "must be 2 letters, e.g. FR, or empty");

  auto empty = accounts().sign_up({"", "", "A", "B", "C", "", "", ""});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().fields.at("email"), "is required");
  EXPECT_EQ(empty.error().fields.at("password"), "is required");
  EXPECT_EQ(empty.error().fields.at("currency"), "is required");
  EXPECT_EQ(empty.error().fields.at("timezone"), "is required");
  EXPECT_EQ(empty.error().fields.count("country"), 0u);

  auto longpw = accounts().sign_up({"a@b.co", std::string(201, 'x'), "A", "B", "C", "EUR", "UTC", ""});
  ASSERT_FALSE(longpw.ok());
  EXPECT_EQ(longpw.error().fields.at("password"), "must be at most 200 characters");

  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(count("companies"), 0);
  EXPECT_EQ(count("memberships"), 0);
  EXPECT_EQ(committed_events(), 0);
}

TEST_P(SignUpTest, DuplicateEmailIsRefusedCaseInsensitivelyWithoutCreatingAnything) {
  make_account("ada@example.com");
  auto r = accounts().sign_up(signup("  ADA@example.COM", "Other Co"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "validation.failed");
  EXPECT_EQ(r.error().fields.at("email"), "is already registered");
  EXPECT_EQ(count("users"), 1);
  EXPECT_EQ(count("companies"), 1);
  EXPECT_EQ(count("memberships"), 1);
  EXPECT_EQ(committed_events(), 1);
}

TEST_P(SignUpTest, ASinkFailureRollsBackTheWholeSignUp) {
  sink.fail_next = true;
  auto r = accounts().sign_up(signup("ada@example.com"));
  EXPECT_ERROR_CODE(r, "sink.failed");
  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(count("companies"), 0);
  EXPECT_EQ(count("memberships"), 0);
  ASSERT_OK(accounts().sign_up(signup("ada@example.com")));  // the email was not half-taken
}

TALLY_INSTANTIATE_DATABASE_TESTS(SignUpTest);

class LoginTest : public TenancyTest {};

TEST_P(LoginTest, CorrectPasswordLogsInCaseInsensitively) {
  auto [uid, cid] = make_account("ada@example.com");
  auto u = accounts().authenticate("ADA@example.com ", "correct horse battery", "10.0.0.1");
  ASSERT_OK(u);
  EXPECT_EQ(u->id, uid);
}

TEST_P(LoginTest, WrongPasswordUnknownEmailAndNoPasswordAreIndistinguishable) {
  make_account("ada@example.com");
  // A marketplace user: no password.
  ASSERT_OK(database().execute(
      "INSERT INTO users (email, email_normalized, first_name, last_name, status, created_at, updated_at) "
      "VALUES ('mp@example.com', 'mp@example.com', 'M', 'P', 'active', 'x', 'x')"));
  auto acc = accounts();
  auto wrong = acc.authenticate("ada@example.com", "wrong password!", "10.0.0.1");
  auto unknown = acc.authenticate("nobody@example.com", "correct horse battery", "10.0.0.1");
  auto nopw = acc.authenticate("mp@example.com", "", "10.0.0.1");
  auto nopw2 = acc.authenticate("mp@example.com", "correct horse battery", "10.0.0.1");
  for (const auto* r : {&wrong, &unknown, &nopw, &nopw2}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error().code, "auth.invalid_credentials");
    EXPECT_EQ(r->error().message, "Email or password is incorrect");
  }
}

TEST_P(LoginTest, DisabledUserCannotLogIn) {
  make_account("ada@example.com");
  ASSERT_OK(database().execute("UPDATE users SET status = 'disabled'"));
  EXPECT_ERROR_CODE(accounts().authenticate("ada@example.com", "correct horse battery", ""),
                    "auth.invalid_credentials");
}

TEST_P(LoginTest, FiveFailuresThrottleTheEmailUntilTheWindowPasses) {
  make_account("ada@example.com");
  auto acc = accounts();
  for (int i = 0; i < 5; ++i) {
    EXPECT_ERROR_CODE(acc.authenticate("ada@example.com", "wrong password!", "10.0.0." + std::to_string(i)),
                      "auth.invalid_credentials");
    clock.advance(10s);
  }
  // Even the right password is refused now, without being checked.
  auto t = acc.authenticate("Ada@Example.com", "correct horse battery", "10.0.0.99");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "auth.throttled");
  auto wait = retry_after_seconds(t.error());
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 15 * 60 - 50);  // the first failure was 50 s ago
  EXPECT_NE(t.error().message.find("try again in 15 minutes"), std::string::npos) << t.error().message;
  // Another email from the same IPs is not affected.
  make_account("bob@example.com", "Bob Co");
  ASSERT_OK(acc.authenticate("bob@example.com", "correct horse battery", "10.0.0.1"));

  clock.advance(std::chrono::seconds(*wait - 1));
  EXPECT_ERROR_CODE(acc.authenticate("ada@example.com", "correct horse battery", "10.0.0.99"), "auth.throttled");
  clock.advance(1s);
  ASSERT_OK(acc.authenticate("ada@example.com", "correct horse battery", "10.0.0.99"));
}

TEST_P(LoginTest, SuccessClearsTheEmailCounter) {
  make_account("ada@example.com");
  auto acc = accounts();
  for (int i = 0; i < 4; ++i) (void)acc.authenticate("ada@example.com", "wrong password!", "10.0.0.1");
  ASSERT_OK(acc.authenticate("ada@example.com", "correct horse battery", "10.0.0.1"));
  for (int i = 0; i < 4; ++i)
    EXPECT_ERROR_CODE(acc.authenticate("ada@example.com", "wrong password!", "10.0.0.1"), "auth.invalid_credentials");
  ASSERT_OK(acc.authenticate("ada@example.com", "correct horse battery", "10.0.0.1"));
}

TEST_P(LoginTest, TwentyFailuresFromOneIpThrottleThatIp) {
  make_account("ada@example.com");
  auto acc = accounts();
  for (int i = 0; i < 20; ++i)
    EXPECT_ERROR_CODE(acc.authenticate("user" + std::to_string(i) + "@example.com", "whatever pw", "203.0.113.5"),
                      "auth.invalid_credentials");
  EXPECT_ERROR_CODE(acc.authenticate("ada@example.com", "correct horse battery", "203.0.113.5"), "auth.throttled");
  ASSERT_OK(acc.authenticate("ada@example.com", "correct horse battery", "203.0.113.6"));
}

TEST_P(LoginTest, ThrottlingHoldsAcrossTwoProcesses) {
  make_account("ada@example.com");
  auto other_db = mno::db::open_database(database_url());
  ASSERT_OK(other_db);
  AccountService first(database(), clock, sink, fast_hasher());
  AccountService second(**other_db, clock, sink, fast_hasher());
  for (int i = 0; i < 5; ++i) {
    auto& acc = (i % 2 == 0) ? first : second;
    EXPECT_ERROR_CODE(acc.authenticate("ada@example.com", "wrong password!", "10.0.0.1"), "auth.invalid_credentials");
  }
  EXPECT_ERROR_CODE(second.authenticate("ada@example.com", "correct horse battery", "10.0.0.1"), "auth.throttled");
  EXPECT_ERROR_CODE(first.authenticate("ada@example.com", "correct horse battery", "10.0.0.1"), "auth.throttled");
  clock.advance(15min);
  ASSERT_OK(second.authenticate("ada@example.com", "correct horse battery", "10.0.0.1"));
  auto purged = first.throttle().purge_expired();
  ASSERT_OK(purged);
}

TEST_P(LoginTest, ChangePasswordNeedsTheCurrentOne) {
  auto [uid, cid] = make_account("ada@example.com");
  auto acc = accounts();
  auto bad = acc.change_password(uid, "not my password", "a brand new password");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "validation.failed");
  EXPECT_EQ(bad.error().fields.at("current_password"), "is incorrect");
  auto weak = acc.change_password(uid, "correct horse battery", "short");
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().fields.at("new_password"), "must be at least 10 characters");
  ASSERT_OK(acc.authenticate("ada@example.com", "correct horse battery", ""));

  ASSERT_OK(acc.change_password(uid, "correct horse battery", "a brand new password"));
  EXPECT_ERROR_CODE(acc.authenticate("ada@example.com", "correct horse battery", ""), "auth.invalid_credentials");
  ASSERT_OK(acc.authenticate("ada@example.com", "a brand new password", ""));
  EXPECT_ERROR_CODE(acc.change_password(999999, "x", "a brand new password"), "record.not_found");
}

TEST_P(LoginTest, SetPasswordOnlyForUsersWithoutOne) {
  auto [uid, cid] = make_account("ada@example.com");
  auto acc = accounts();
  EXPECT_ERROR_CODE(acc.set_password(uid, "another good password"), "auth.password_already_set");
  ASSERT_OK(database().execute(
      "INSERT INTO users (email, email_normalized, first_name, last_name, status, created_at, updated_at) "
      "VALUES ('mp@example.com', 'mp@example.com', 'M', 'P', 'active', 'x', 'x')"));
  auto mp = acc.find_user_by_email("MP@example.com");
  ASSERT_OK(mp);
  ASSERT_TRUE(*mp);
  EXPECT_FALSE((*mp)->has_password);
  EXPECT_ERROR_CODE(acc.set_password((*mp)->id, "short"), "validation.failed");
  ASSERT_OK(acc.set_password((*mp)->id, "another good password"));
  ASSERT_OK(acc.authenticate("mp@example.com", "another good password", ""));
}

TALLY_INSTANTIATE_DATABASE_TESTS(LoginTest);
