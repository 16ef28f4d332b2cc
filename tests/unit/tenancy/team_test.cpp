// Memberships and team management: the company switcher list, role rules (who may change what,
// the last Super Admin), adding and revoking members.
#include "tenancy_fixture.hpp"
#include "tally/domain/company_service.hpp"

using namespace tally;
using namespace tenancy_test;

class TeamTest : public TenancyTest {
 protected:
  void SetUp() override {
    TenancyTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::tie(owner, company) = make_account("owner@example.com", "Acme");
    std::tie(alice, std::ignore) = make_account("alice@example.com", "Alice Co");
    std::tie(bob, std::ignore) = make_account("bob@example.com", "Bob Co");
  }
  int64_t owner = 0, company = 0, alice = 0, bob = 0;
};

TEST_P(TeamTest, AddMemberAndListThem) {
  auto acc = accounts();
  auto m = acc.add_member(owner, company, "ALICE@example.com", Role::member);
  ASSERT_OK(m);
  EXPECT_EQ(m->user_id, alice);
  EXPECT_EQ(m->role, Role::member);
  auto dup = acc.add_member(owner, company, "alice@example.com", Role::admin);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().fields.at("email"), "is already a member");
  auto nobody = acc.add_member(owner, company, "nobody@example.com", Role::member);
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().code, "validation.failed");
  EXPECT_EQ(nobody.error().fields.count("email"), 1u);
  auto list = acc.members(company);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 2u);
  // A plain member cannot add people.
  EXPECT_ERROR_CODE(acc.add_member(alice, company, "bob@example.com", Role::member), "auth.forbidden");
  // Nor can an outsider.
  EXPECT_ERROR_CODE(acc.add_member(bob, company, "bob@example.com", Role::member), "auth.forbidden");
}

TEST_P(TeamTest, MemberCannotChangeRoles) {
  auto acc = accounts();
  ASSERT_OK(acc.add_member(owner, company, "alice@example.com", Role::member));
  ASSERT_OK(acc.add_member(owner, company, "bob@example.com", Role::member));
  EXPECT_ERROR_CODE(acc.set_role(alice, company, bob, Role::admin), "auth.forbidden");
  EXPECT_ERROR_CODE(acc.set_role(alice, company, alice, Role::admin), "auth.forbidden");
  auto power = acc.set_role(owner, company, alice, Role::power_user);
  ASSERT_OK(power);
  EXPECT_ERROR_CODE(acc.set_role(alice, company, bob, Role::admin), "auth.forbidden");
  EXPECT_EQ(*acc.membership(alice, company), Role::power_user);
}

TEST_P(TeamTest, AdminManagesRolesButCannotGrantOrRemoveSuperAdmin) {
  auto acc = accounts();
  ASSERT_OK(acc.add_member(owner, company, "alice@example.com", Role::admin));
  ASSERT_OK(acc.add_member(owner, company, "bob@example.com", Role::member));
  ASSERT_OK(acc.set_role(alice, company, bob, Role::power_user));
  EXPECT_EQ(*acc.membership(bob, company), Role::power_user);
  EXPECT_ERROR_CODE(acc.set_role(alice, company, bob, Role::super_admin), "auth.forbidden");
  EXPECT_ERROR_CODE(acc.set_role(alice, company, owner, Role::admin), "auth.forbidden");
  EXPECT_ERROR_CODE(acc.add_member(alice, company, "bob@example.com", Role::super_admin), "auth.forbidden");
  EXPECT_ERROR_CODE(acc.revoke_member(alice, company, owner), "auth.forbidden");
  EXPECT_EQ(*acc.membership(owner, company), Role::super_admin);
}

TEST_P(TeamTest, LastSuperAdminCannotBeDemotedOrRevoked) {
  auto acc = accounts();
  auto r = acc.set_role(owner, company, owner, Role::admin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "record.in_use");
  EXPECT_NE(r.error().message.find("at least one Super Admin"), std::string::npos);
  EXPECT_ERROR_CODE(acc.revoke_member(owner, company, owner), "record.in_use");
  // With a second Super Admin, the first may step down.
  ASSERT_OK(acc.add_member(owner, company, "alice@example.com", Role::super_admin));
  ASSERT_OK(acc.set_role(owner, company, owner, Role::admin));
  EXPECT_EQ(*acc.membership(owner, company), Role::admin);
  EXPECT_ERROR_CODE(acc.set_role(alice, company, alice, Role::member), "record.in_use");
}

TEST_P(TeamTest, RevokedMembersLoseAccessAndCanBeReAdded) {
  auto acc = accounts();
  ASSERT_OK(acc.add_member(owner, company, "alice@example.com", Role::power_user));
  ASSERT_OK(acc.revoke_member(owner, company, alice));
  EXPECT_ERROR_CODE(acc.membership(alice, company), "auth.forbidden");
  EXPECT_ERROR_CODE(acc.set_role(owner, company, alice, Role::admin), "record.not_found");
  EXPECT_ERROR_CODE(acc.revoke_member(owner, company, alice), "record.not_found");
  auto active = acc.members(company);
  ASSERT_OK(active);
  EXPECT_EQ(active->size(), 1u);
  auto all = acc.members(company, true);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 2u);
  auto back = acc.add_member(owner, company, "alice@example.com", Role::member);
  ASSERT_OK(back);
  EXPECT_EQ(*acc.membership(alice, company), Role::member);
}

TEST_P(TeamTest, MembershipsOfExcludesRevokedMembershipsAndClosedCompanies) {
  auto acc = accounts();
  // alice: her own company (super admin) + Acme (member) + Bob Co (revoked).
  ASSERT_OK(acc.add_member(owner, company, "alice@example.com", Role::member));
  auto bob_company = acc.memberships_of(bob);
  ASSERT_OK(bob_company);
  ASSERT_EQ(bob_company->size(), 1u);
  const int64_t bob_co = (*bob_company)[0].company_id;
  ASSERT_OK(acc.add_member(bob, bob_co, "alice@example.com", Role::admin));
  ASSERT_OK(acc.revoke_member(bob, bob_co, alice));

  auto list = acc.memberships_of(alice);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].company_name, "Acme");
  EXPECT_EQ((*list)[0].role, Role::member);
  EXPECT_EQ((*list)[1].company_name, "Alice Co");
  EXPECT_EQ((*list)[1].role, Role::super_admin);

  CompanyService companies(database(), clock, sink);
  ASSERT_OK(companies.set_status(company, CompanyStatus::cancelled));
  list = acc.memberships_of(alice);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].company_name, "Alice Co");
  EXPECT_ERROR_CODE(acc.membership(alice, company), "auth.forbidden");
  ASSERT_OK(companies.set_status(company, CompanyStatus::trialing, "2027-01-01T00:00:00Z"));
  EXPECT_EQ(*acc.membership(alice, company), Role::member);
}

TEST_P(TeamTest, MembershipOfAStrangerIsNotFound) {
  auto acc = accounts();
  EXPECT_ERROR_CODE(acc.membership(alice, company), "record.not_found");
  EXPECT_ERROR_CODE(acc.membership(alice, 987654), "record.not_found");
  EXPECT_ERROR_CODE(acc.set_role(owner, 987654, alice, Role::admin), "record.not_found");
}

TALLY_INSTANTIATE_DATABASE_TESTS(TeamTest);
