// Pure domain rules: role codes and names, company settings validation, email shape, password
// policy and the Argon2id hasher.
#include <gtest/gtest.h>

#include "tally/domain/company.hpp"
#include "tally/domain/password_hasher.hpp"
#include "tally/domain/role.hpp"
#include "tally/domain/secret_digest.hpp"
#include "tally/domain/user.hpp"

using namespace tally;

TEST(Role, CodesDisplayNamesAndParsing) {
  EXPECT_EQ(to_string(Role::power_user), "power_user");
  EXPECT_EQ(display_name(Role::super_admin), "Super Admin");
  EXPECT_EQ(parse_role("Power User"), Role::power_user);
  EXPECT_EQ(parse_role("super_admin"), Role::super_admin);
  EXPECT_EQ(parse_role("ADMIN"), Role::admin);
  EXPECT_EQ(parse_role("Member"), Role::member);
  EXPECT_FALSE(parse_role("Guest"));
  EXPECT_FALSE(parse_role(""));
  EXPECT_TRUE(can_manage_team(Role::admin));
  EXPECT_FALSE(can_manage_team(Role::power_user));
}

TEST(CompanySettings, ValidInputIsNormalised) {
  FieldErrors e;
  auto s = validate_company_settings({"  Acme  ", "eur", "America/Argentina/Buenos_Aires", "fr"}, e);
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(s.name, "Acme");
  EXPECT_EQ(s.currency, "EUR");
  EXPECT_EQ(s.country, "FR");
  FieldErrors e2;
  (void)validate_company_settings({"X", "USD", "UTC", ""}, e2);
  EXPECT_TRUE(e2.empty());
}

TEST(CompanySettings, EveryBadFieldHasAMessage) {
  FieldErrors e;
  (void)validate_company_settings({" ", "EURO", "Europe//Paris", "FRA"}, e);
  EXPECT_EQ(e.fields["name"], "is required");
  EXPECT_EQ(e.fields["currency"], "must be 3 letters, e.g. EUR");
  EXPECT_EQ(e.fields["timezone"], "must be a time zone name, e.g. Europe/Paris or UTC");
  EXPECT_EQ(e.fields["country"], "must be 2 letters, e.g. FR, or empty");
  FieldErrors e2;
  (void)validate_company_settings({"A", "", "", ""}, e2);
  EXPECT_EQ(e2.fields["currency"], "is required");
  EXPECT_EQ(e2.fields["timezone"], "is required");
  EXPECT_EQ(e2.fields.count("country"), 0u);
}

TEST(CompanySettings, TimezoneShapes) {
  for (auto ok : {"UTC", "Europe/Paris", "Etc/GMT+5", "America/Port-au-Prince", "America/Argentina/Buenos_Aires"})
    EXPECT_TRUE(is_timezone_name(ok)) << ok;
  for (auto bad : {"", "/Paris", "Europe/", "Europe Paris", "1Europe/Paris", "a/b/c/d", "Europe/Paris;DROP"})
    EXPECT_FALSE(is_timezone_name(bad)) << bad;
  EXPECT_TRUE(is_currency_code("EUR"));
  EXPECT_FALSE(is_currency_code("eur"));
  EXPECT_FALSE(is_currency_code("EU1"));
}

TEST(Email, NormaliseAndValidate) {
  EXPECT_EQ(normalize_email("  Ada@Example.COM "), "ada@example.com");
  EXPECT_TRUE(is_valid_email("ada@example.com"));
  for (auto bad : {"", "ada", "@example.com", "ada@", "ada@example", "a b@example.com", "a@b@example.com",
                   "ada@example..com", "ada@.example.com"})
    EXPECT_FALSE(is_valid_email(bad)) << bad;
}

TEST(Password, PolicyMessages) {
  EXPECT_EQ(password_policy_error("short"), "must be at least 10 characters");
  EXPECT_EQ(password_policy_error(std::string(201, 'x')), "must be at most 200 characters");
  EXPECT_FALSE(password_policy_error("0123456789"));
  EXPECT_FALSE(password_policy_error(std::string(200, 'x')));
}

TEST(Password, HashVerifyRehash) {
  PasswordHasher fast(PasswordHashLimits::minimum());
  auto h = fast.hash("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(fast.verify(*h, "correct horse battery"));
  EXPECT_FALSE(fast.verify(*h, "correct horse batterx"));
  EXPECT_FALSE(fast.verify("not a hash", "correct horse battery"));
  EXPECT_FALSE(fast.needs_rehash(*h));
  PasswordHashLimits stronger = PasswordHashLimits::minimum();
  stronger.opslimit += 1;
  PasswordHasher other(stronger);
  EXPECT_TRUE(other.needs_rehash(*h));
  auto h2 = fast.hash("correct horse battery");
  ASSERT_TRUE(h2.ok());
  EXPECT_NE(*h, *h2);  // salted
}

TEST(SecretDigest, Sha256Hex) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
