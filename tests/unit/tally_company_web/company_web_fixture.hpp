// Shared fixture for the company page tests: an in-process Tally (AppHarness) on SQLite or
// PostgreSQL with one company "Acme" owned by a Super Admin, plus helpers to add people to it
// with a role and to sign them in with their own Browser.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/app/app_harness.hpp"
#include "support/test_database.hpp"

namespace testenv {

class CompanyWebTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    app = std::make_unique<AppHarness>(GetParam());
    owner = app->create_account("owner@example.com", company_name());
  }
  // Overridden by tests that need a hostile company name.
  virtual std::string company_name() const { return "Acme"; }

  // A user with their own company "Zeta <email>" who is also a member of the owner's company.
  AppHarness::Account add_person(const std::string& email, tally::Role role) {
    auto acc = app->create_account(email, "Zeta " + email);
    auto added = app->services->accounts.add_member(owner.user_id, owner.company_id, email, role);
    EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().message);
    return acc;
  }
  // A signed-in browser whose current company is the owner's company.
  std::unique_ptr<Browser> browser_for(const AppHarness::Account& acc) {
    auto b = std::make_unique<Browser>(app->url);
    EXPECT_TRUE(b->login(acc.email, acc.password));
    if (acc.company_id != owner.company_id) {
      b->get("/app");
      EXPECT_EQ(b->post_form("/app/switch-company", {{"company_id", std::to_string(owner.company_id)}}).status, 303);
    }
    return b;
  }
  tally::Role role_of(int64_t user_id) {
    auto r = app->services->accounts.membership(user_id, owner.company_id);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : tally::Role::member;
  }

  std::unique_ptr<AppHarness> app;
  AppHarness::Account owner;
};

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace testenv
