// HTTP tests of the record pages' boundaries: another company's ids are a 404 on every view, edit,
// update, status and archive route; a POST without the CSRF token is a 403; an oversize form is a
// 413. On SQLite and PostgreSQL.
#include "records_web_fixture.hpp"

namespace recordsweb {
namespace {

class RecordAccess : public RecordPages {};

TEST_P(RecordAccess, AnotherCompanysIdsAreNotFoundEverywhere) {
  auto rival = app->create_account("rival@example.com", "Rival");
  auto c = customer("Secret Customer", "", rival.company_id);
  auto k = contact("Secret", "Contact", c.id, rival.company_id);
  auto p = product("Secret Product", "1", "0", rival.company_id);
  auto i = invoice(c.id, "10", rival.company_id);
  browser->get("/app/customers");  // a fresh CSRF token
  const std::vector<std::pair<std::string, int64_t>> records{
      {"/app/customers/", c.id}, {"/app/contacts/", k.id}, {"/app/products/", p.id}, {"/app/invoices/", i.id}};
  for (const auto& [base, id] : records) {
    const std::string path = base + std::to_string(id);
    auto view = browser->get(path);
    EXPECT_EQ(view.status, 404) << path;
    EXPECT_FALSE(has(view.body, "Secret")) << path;
    EXPECT_EQ(browser->get(path + "/edit").status, 404) << path;
    auto update = browser->post_form(path, {{"version", "1"}, {"name", "Hacked"}, {"first_name", "Hacked"},
                                            {"customer_id", std::to_string(c.id)}});
    EXPECT_EQ(update.status, 404) << path;
    auto bad_update = browser->post_form(path, {{"version", "1"}});  // invalid values: still 404
    EXPECT_EQ(bad_update.status, 404) << path;
    EXPECT_EQ(browser->post_form(path + "/archive", {{"version", "1"}}).status, 404) << path;
  }
  EXPECT_EQ(browser->post_form("/app/invoices/" + std::to_string(i.id) + "/status", {{"version", "1"}, {"status", "sent"}}).status,
            404);
  EXPECT_EQ(browser->get("/app/customers/999999").status, 404);
  EXPECT_EQ(browser->get("/app/customers/abc").status, 404);
  auto unchanged = app->services->customers.get(rival.company_id, c.id);
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(unchanged->name, "Secret Customer");
  EXPECT_FALSE(unchanged->archived());
  auto invoice_after = app->services->invoices.get(rival.company_id, i.id);
  ASSERT_TRUE(invoice_after);
  EXPECT_EQ(invoice_after->status, tally::InvoiceStatus::draft);

  // Nor can another company's customer be used in our records.
  auto contact_try = browser->post_form("/app/contacts", {{"first_name", "X"}, {"customer_id", std::to_string(c.id)}});
  EXPECT_EQ(contact_try.status, 422);
  EXPECT_TRUE(has(contact_try.body, "data-testid=\"error-customer_id\""));
  auto invoice_try = browser->post_form("/app/invoices", {{"customer_id", std::to_string(c.id)}, {"lines[0][description]", "x"},
                                                          {"lines[0][quantity]", "1"}, {"lines[0][unit_price]", "1"},
                                                          {"lines[0][product_id]", std::to_string(p.id)}});
  EXPECT_EQ(invoice_try.status, 422);
  EXPECT_TRUE(has(invoice_try.body, "data-testid=\"error-customer_id\""));
  EXPECT_TRUE(has(invoice_try.body, "data-testid=\"line-0-error-product_id\""));
}

TEST_P(RecordAccess, PostsWithoutTheCsrfTokenAreRefused) {
  auto c = customer("Safe Co");
  browser->get("/app/customers/new");
  const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> posts{
      {"/app/customers", {{"name", "Forged"}}},
      {"/app/customers/" + std::to_string(c.id), {{"name", "Forged"}, {"version", "1"}}},
      {"/app/customers/" + std::to_string(c.id) + "/archive", {{"version", "1"}}},
      {"/app/contacts", {{"first_name", "Forged"}}},
      {"/app/products", {{"name", "Forged"}}},
      {"/app/invoices", {{"customer_id", std::to_string(c.id)}, {"lines[0][description]", "x"}, {"lines[0][quantity]", "1"},
                         {"lines[0][unit_price]", "1"}}},
  };
  for (const auto& [path, fields] : posts) {
    auto r = browser->post_form(path, fields, /*with_csrf=*/false);
    EXPECT_EQ(r.status, 403) << path;
    auto wrong = browser->post_form(path, [&] {
      auto f = fields;
      f.emplace_back("_csrf", "not-the-token");
      return f;
    }(), false);
    EXPECT_EQ(wrong.status, 403) << path;
  }
  EXPECT_EQ(count("customers"), 1);
  EXPECT_EQ(count("contacts"), 0);
  EXPECT_EQ(count("products"), 0);
  EXPECT_EQ(count("invoices"), 0);
  EXPECT_EQ(app->services->customers.get(company(), c.id)->name, "Safe Co");
}

TEST_P(RecordAccess, OversizeFormsAreRefusedWith413) {
  browser->get("/app/invoices/new");
  const std::string body = "_csrf=" + browser->csrf() + "&notes=" + std::string(300 * 1024, 'a');
  for (const std::string path : {"/app/invoices", "/app/customers", "/app/products"}) {
    auto r = browser->send("POST", path, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 413) << path;
  }
  EXPECT_EQ(count("invoices"), 0);
}

TEST_P(RecordAccess, HugeRowIndexesDoNotAllocateRows) {
  auto c = customer("Buyer");
  browser->get("/app/invoices/new");
  auto r = browser->post_form("/app/invoices", {{"customer_id", std::to_string(c.id)}, {"action", "add_line"},
                                                {"lines[99999999][description]", "far away"}, {"lines[-1][description]", "neg"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(has(r.body, "far away"));
  EXPECT_FALSE(has(r.body, "name=\"lines[2][description]\"")) << "one blank row plus the added one";
}

TALLY_INSTANTIATE_DATABASE_TESTS(RecordAccess);

}  // namespace
}  // namespace recordsweb
