// Shared setup for the record pages' HTTP tests: a Tally on a fresh database (SQLite or
// PostgreSQL) with one signed-in account, and shortcuts to create records through the services.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/app/app_harness.hpp"
#include "support/test_database.hpp"

namespace recordsweb {

class RecordPages : public testenv::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    app = std::make_unique<testenv::AppHarness>(GetParam());
    account = app->create_account("owner@example.com", "Acme");
    browser = std::make_unique<testenv::Browser>(app->url);
    ASSERT_TRUE(browser->login(account.email, account.password));
  }

  int64_t company() const { return account.company_id; }

  tally::Customer customer(const std::string& name, const std::string& code = "", int64_t company_id = 0) {
    tally::CustomerInput in;
    in.name = name;
    in.code = code;
    auto r = app->services->customers.create(company_id ? company_id : company(), in);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : tally::Customer{};
  }
  tally::Product product(const std::string& name, const std::string& price, const std::string& tax, int64_t company_id = 0) {
    tally::ProductInput in;
    in.name = name;
    in.sale_price = price;
    in.tax_rate = tax;
    auto r = app->services->products.create(company_id ? company_id : company(), in);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : tally::Product{};
  }
  tally::Contact contact(const std::string& first, const std::string& last, int64_t customer_id = 0, int64_t company_id = 0) {
    tally::ContactInput in;
    in.first_name = first;
    in.last_name = last;
    if (customer_id) in.customer_id = std::to_string(customer_id);
    auto r = app->services->contacts.create(company_id ? company_id : company(), in);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : tally::Contact{};
  }
  tally::Invoice invoice(int64_t customer_id, const std::string& price = "100", int64_t company_id = 0) {
    tally::InvoiceInput in;
    in.customer_id = std::to_string(customer_id);
    in.issue_date = "2025-03-01";
    in.lines.push_back({"", "Consulting", "1", price, "20"});
    auto r = app->services->invoices.create(company_id ? company_id : company(), in);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : tally::Invoice{};
  }

  int64_t count(const std::string& table) {
    auto r = app->db->query("SELECT COUNT(*) FROM " + table);
    return r ? r->at(0).i64(0) : -1;
  }

  static bool has(const std::string& body, const std::string& needle) { return body.find(needle) != std::string::npos; }

  std::unique_ptr<testenv::AppHarness> app;
  testenv::AppHarness::Account account;
  std::unique_ptr<testenv::Browser> browser;
};

}  // namespace recordsweb
