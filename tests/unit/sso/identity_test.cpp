// Identity mapping (spec 3.4/3.6/3.7): real and virtual modes, mask/unmask, strict time fields.
#include <gtest/gtest.h>

#include "mno/sso/identity.hpp"
#include "mno/util/iso8601.hpp"

using namespace mno::sso;

namespace {

mno::saml::ValidatedAssertion assertion() {
  mno::saml::ValidatedAssertion a;
  a.name_id = "usr-1";
  for (auto [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"uid", "usr-1"}, {"virtual_uid", "usr-1.cld-1"}, {"email", "john@example.com"},
           {"virtual_email", "usr-1.cld-1@mail.maestrano.com"}, {"name", "John"}, {"surname", "Doe"}, {"country", "AU"},
           {"company_name", "DoeCorp"}, {"group_uid", "cld-1"}, {"group_name", "Doe Group"}, {"group_role", "Admin"},
           {"group_end_free_trial", "2027-02-01T00:00:00Z"}, {"group_email", "cld-1@example.com"}, {"group_currency", "AUD"},
           {"group_timezone", "Australia/Sydney"}, {"group_country", "NZ"}, {"group_city", "Sydney"}, {"group_org_uid", "org-48"},
           {"group_has_credit_card", "true"}, {"mno_session", "tok-1"}, {"mno_session_recheck", "2027-01-15T08:03:00Z"}})
    a.attributes[k] = {v};
  return a;
}

mno::config::Marketplace market(std::string mode = "real") {
  mno::config::Marketplace m;
  m.name = "mkt";
  m.sso.creation_mode = std::move(mode);
  return m;
}

}  // namespace

TEST(IdentityTest, RealMode) {
  auto id = identity_from_assertion(assertion(), market());
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->user.uid, "usr-1");
  EXPECT_EQ(id->user.email, "john@example.com");
  EXPECT_EQ(id->user.first_name, "John");
  EXPECT_EQ(id->user.last_name, "Doe");
  EXPECT_EQ(id->group.uid, "cld-1");
  EXPECT_EQ(id->group.name, "Doe Group");
  EXPECT_EQ(id->group.currency, "AUD");
  EXPECT_EQ(id->group.timezone, "Australia/Sydney");
  EXPECT_EQ(id->group.country, "NZ");
  EXPECT_TRUE(id->group.has_credit_card);
  EXPECT_EQ(mno::format_iso8601(id->group.free_trial_end), "2027-02-01T00:00:00Z");
  EXPECT_EQ(id->membership.user_uid, "usr-1");
  EXPECT_EQ(id->membership.role, "Admin");
  EXPECT_EQ(id->session.token, "tok-1");
  EXPECT_EQ(id->session.marketplace, "mkt");
  EXPECT_EQ(mno::format_iso8601(id->session.recheck), "2027-01-15T08:03:00Z");
}

TEST(IdentityTest, VirtualModeUsesVirtualUidAndEmailButRealUidForMembership) {
  auto id = identity_from_assertion(assertion(), market("virtual"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->user.uid, "usr-1.cld-1");
  EXPECT_EQ(id->user.email, "usr-1.cld-1@mail.maestrano.com");
  EXPECT_EQ(id->user.real_uid, "usr-1");
  EXPECT_EQ(id->membership.user_uid, "usr-1");
  EXPECT_EQ(id->session.uid, "usr-1");
  auto a = assertion();
  a.attributes.erase("virtual_uid");
  EXPECT_EQ(identity_from_assertion(a, market("virtual")).error().code, "sso.missing_attribute");
  EXPECT_TRUE(identity_from_assertion(a, market("real")).ok());
  EXPECT_EQ(identity_from_assertion(assertion(), market("weird")).error().code, "sso.creation_mode");
}

TEST(IdentityTest, MissingAndBadFields) {
  for (const char* required : {"uid", "email", "group_uid", "group_role", "mno_session", "mno_session_recheck", "group_end_free_trial"}) {
    auto a = assertion();
    a.attributes.erase(required);
    auto r = identity_from_assertion(a, market());
    ASSERT_FALSE(r.ok()) << required;
    EXPECT_EQ(r.error().code, "sso.missing_attribute") << required;
    EXPECT_NE(r.error().message.find(required), std::string::npos);
  }
  for (const char* t : {"mno_session_recheck", "group_end_free_trial"}) {
    for (const char* bad : {"tomorrow", "2027-02-30T00:00:00Z", "2027-01-15 08:03:00", "1700000000"}) {
      auto a = assertion();
      a.attributes[t] = {bad};
      EXPECT_EQ(identity_from_assertion(a, market()).error().code, "sso.bad_time") << t << "=" << bad;
    }
  }
  auto a = assertion();
  a.attributes["uid"] = {"usr-1", "usr-2"};
  EXPECT_EQ(identity_from_assertion(a, market()).error().code, "sso.ambiguous_attribute");
  a = assertion();
  a.attributes.erase("group_country");
  a.attributes.erase("group_has_credit_card");
  auto id = identity_from_assertion(a, market());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->group.country, "AU");  // falls back to the user's country (Ruby behaviour)
  EXPECT_FALSE(id->group.has_credit_card);
}

TEST(IdentityTest, MaskAndUnmask) {
  EXPECT_EQ(unmask_user("usr-1.cld-1"), "usr-1");
  EXPECT_EQ(unmask_user("usr-1"), "usr-1");
  EXPECT_EQ(mask_user("usr-1", "cld-1", "virtual"), "usr-1.cld-1");
  EXPECT_EQ(mask_user("usr-1.cld-1", "cld-1", "virtual"), "usr-1.cld-1");  // never doubled
  EXPECT_EQ(mask_user("usr-1.cld-1", "cld-1", "real"), "usr-1");
}
