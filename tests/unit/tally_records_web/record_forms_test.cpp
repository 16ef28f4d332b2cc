// HTTP tests of the customer, contact and product pages: create, view, edit, archive, field errors
// shown with the typed values kept (422), the version conflict (409), archiving a customer that
// open invoices use, and the flash after a save. On SQLite and PostgreSQL.
#include "records_web_fixture.hpp"

namespace recordsweb {
namespace {

class RecordForms : public RecordPages {};

TEST_P(RecordForms, CustomerCreateViewEditArchive) {
  ASSERT_EQ(browser->get("/app/customers/new").status, 200);
  auto created = browser->post_form("/app/customers", {{"name", "Acme Buyer"}, {"code", "AB-1"}, {"email", "buy@acme.test"},
                                                       {"phone", "+33 1 23"}, {"website", "https://acme.test"},
                                                       {"billing_line1", "1 rue de la Paix"}, {"billing_city", "Paris"},
                                                       {"billing_postcode", "75002"}, {"billing_country", "fr"},
                                                       {"shipping_line1", "Dock 4"}, {"shipping_city", "Lyon"},
                                                       {"notes", "Pays on time"}});
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location = created.header("location").value_or("");
  ASSERT_EQ(location.rfind("/app/customers/", 0), 0u);
  auto view = browser->get(location);
  ASSERT_EQ(view.status, 200);
  EXPECT_TRUE(has(view.body, "Customer saved.")) << "flash after the save";
  EXPECT_TRUE(has(view.body, "data-testid=\"customer-name\">Acme Buyer"));
  EXPECT_TRUE(has(view.body, "1 rue de la Paix"));
  EXPECT_TRUE(has(view.body, "FR")) << "the country is normalised";
  EXPECT_TRUE(has(view.body, "Dock 4"));
  EXPECT_FALSE(has(browser->get(location).body, "Customer saved.")) << "the flash shows once";

  auto edit = browser->get(location + "/edit");
  ASSERT_EQ(edit.status, 200);
  EXPECT_EQ(testenv::form_value(edit.body, "version").value_or(""), "1");
  EXPECT_EQ(testenv::form_value(edit.body, "billing_city").value_or(""), "Paris");
  auto updated = browser->post_form(location, {{"version", "1"}, {"name", "Acme Buyer Group"}, {"billing_city", "Nice"}});
  ASSERT_EQ(updated.status, 303) << updated.body;
  view = browser->get(location);
  EXPECT_TRUE(has(view.body, "Acme Buyer Group"));
  EXPECT_TRUE(has(view.body, "Nice"));
  EXPECT_TRUE(has(view.body, "Customer saved."));

  auto version = testenv::form_value(view.body, "version").value_or("");
  EXPECT_EQ(version, "2");
  auto archived = browser->post_form(location + "/archive", {{"version", version}});
  ASSERT_EQ(archived.status, 303) << archived.body;
  EXPECT_EQ(archived.header("location").value_or(""), "/app/customers");
  auto list = browser->get("/app/customers");
  EXPECT_TRUE(has(list.body, "Customer archived."));
  EXPECT_FALSE(has(list.body, "Acme Buyer Group"));
  view = browser->get(location);
  EXPECT_EQ(view.status, 200);
  EXPECT_TRUE(has(view.body, "data-testid=\"archived-badge\""));
}

TEST_P(RecordForms, CustomerFieldErrorsAreShownNextToFieldsWithValuesKept) {
  browser->get("/app/customers/new");
  auto r = browser->post_form("/app/customers", {{"name", ""}, {"email", "not-an-email"}, {"website", "ftp://x"},
                                                 {"billing_country", "France"}, {"phone", "+44 <b>7</b>"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-testid=\"error-name\">Name is required"));
  EXPECT_TRUE(has(r.body, "data-testid=\"error-email\""));
  EXPECT_TRUE(has(r.body, "data-testid=\"error-website\""));
  EXPECT_TRUE(has(r.body, "data-testid=\"error-billing_country\""));
  EXPECT_EQ(testenv::form_value(r.body, "email").value_or(""), "not-an-email");
  EXPECT_EQ(testenv::form_value(r.body, "billing_country").value_or(""), "France");
  EXPECT_EQ(testenv::form_value(r.body, "phone").value_or(""), "+44 &lt;b&gt;7&lt;/b&gt;") << "kept and escaped";
  EXPECT_EQ(count("customers"), 0);
}

TEST_P(RecordForms, CustomerPageListsItsContactsAndInvoices) {
  auto c = customer("Parent Co");
  contact("Zoe", "Child", c.id);
  contact("Other", "Person");
  invoice(c.id, "50");
  auto view = browser->get("/app/customers/" + std::to_string(c.id));
  ASSERT_EQ(view.status, 200);
  EXPECT_TRUE(has(view.body, "Zoe Child"));
  EXPECT_FALSE(has(view.body, "Other Person"));
  EXPECT_TRUE(has(view.body, "INV-00001"));
  EXPECT_TRUE(has(view.body, "60.00 EUR"));
}

TEST_P(RecordForms, ArchivingACustomerWithOpenInvoicesExplainsWhy) {
  auto c = customer("Busy Co");
  invoice(c.id);
  auto view = browser->get("/app/customers/" + std::to_string(c.id));
  auto r = browser->post_form("/app/customers/" + std::to_string(c.id) + "/archive",
                              {{"version", testenv::form_value(view.body, "version").value_or("")}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(has(r.body, "data-testid=\"record-alert\""));
  EXPECT_TRUE(has(r.body, "1 open invoice (draft or sent) uses it")) << r.body;
  EXPECT_TRUE(has(r.body, "Busy Co"));
}

TEST_P(RecordForms, SecondTabGetsTheVersionConflictWithItsValuesKept) {
  auto c = customer("Shared Co");
  testenv::Browser other(app->url);
  ASSERT_TRUE(other.login(account.email, account.password));
  const std::string path = "/app/customers/" + std::to_string(c.id);
  auto mine = browser->get(path + "/edit");
  auto theirs = other.get(path + "/edit");
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(theirs.status, 200);
  auto first = other.post_form(path, {{"version", *testenv::form_value(theirs.body, "version")}, {"name", "Shared Co (theirs)"}});
  ASSERT_EQ(first.status, 303);
  auto second = browser->post_form(path, {{"version", *testenv::form_value(mine.body, "version")}, {"name", "Shared Co (mine)"}});
  EXPECT_EQ(second.status, 409);
  EXPECT_TRUE(has(second.body, "data-testid=\"version-conflict\""));
  EXPECT_TRUE(has(second.body, "was changed by someone else since you opened it"));
  EXPECT_EQ(testenv::form_value(second.body, "name").value_or(""), "Shared Co (mine)");
  auto stored = app->services->customers.get(company(), c.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "Shared Co (theirs)");
}

TEST_P(RecordForms, ContactWithCustomerSelect) {
  auto c = customer("Employer Inc");
  auto old = customer("Old Employer");
  ASSERT_TRUE(app->services->customers.archive(company(), old.id, old.version));
  auto form = browser->get("/app/contacts/new?customer_id=" + std::to_string(c.id));
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(has(form.body, "<option value=\"" + std::to_string(c.id) + "\" selected>Employer Inc</option>"));
  EXPECT_FALSE(has(form.body, "Old Employer")) << "archived customers are not offered";

  auto bad = browser->post_form("/app/contacts", {{"first_name", ""}, {"last_name", ""}, {"email", "x@"},
                                                  {"customer_id", std::to_string(c.id)}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(has(bad.body, "data-testid=\"error-first_name\""));
  EXPECT_TRUE(has(bad.body, "data-testid=\"error-email\""));
  EXPECT_TRUE(has(bad.body, "<option value=\"" + std::to_string(c.id) + "\" selected>")) << "the selection is kept";

  auto ok = browser->post_form("/app/contacts", {{"first_name", "Ann"}, {"last_name", "Lee"}, {"job_title", "Buyer"},
                                                 {"email", "ann@employer.test"}, {"customer_id", std::to_string(c.id)}});
  ASSERT_EQ(ok.status, 303) << ok.body;
  const std::string location = ok.header("location").value_or("");
  auto view = browser->get(location);
  EXPECT_TRUE(has(view.body, "Contact saved."));
  EXPECT_TRUE(has(view.body, "data-testid=\"contact-name\">Ann Lee"));
  EXPECT_TRUE(has(view.body, "Employer Inc"));

  auto edit = browser->get(location + "/edit");
  auto updated = browser->post_form(location, {{"version", *testenv::form_value(edit.body, "version")}, {"first_name", "Anne"},
                                               {"last_name", "Lee"}, {"customer_id", ""}});
  ASSERT_EQ(updated.status, 303);
  view = browser->get(location);
  EXPECT_TRUE(has(view.body, "Anne Lee"));
  EXPECT_FALSE(has(view.body, "Employer Inc"));
  auto archived = browser->post_form(location + "/archive", {{"version", *testenv::form_value(view.body, "version")}});
  EXPECT_EQ(archived.status, 303);
  EXPECT_TRUE(has(browser->get("/app/contacts").body, "Contact archived."));
}

TEST_P(RecordForms, ProductPriceAndTaxAreTypedDecimals) {
  browser->get("/app/products/new");
  auto bad = browser->post_form("/app/products", {{"name", "Gadget"}, {"sale_price", "12.345"}, {"tax_rate", "150"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(has(bad.body, "data-testid=\"error-sale_price\">Sale price must have at most 2 decimals"));
  EXPECT_TRUE(has(bad.body, "data-testid=\"error-tax_rate\""));
  EXPECT_EQ(testenv::form_value(bad.body, "sale_price").value_or(""), "12.345");

  auto ok = browser->post_form("/app/products", {{"name", "Gadget"}, {"code", "G-1"}, {"sale_price", "1,234.50"},
                                                 {"tax_rate", "5.5"}, {"unit", "item"}, {"description", "Shiny"}});
  ASSERT_EQ(ok.status, 303) << ok.body;
  const std::string location = ok.header("location").value_or("");
  auto view = browser->get(location);
  EXPECT_TRUE(has(view.body, "Product saved."));
  EXPECT_TRUE(has(view.body, "data-testid=\"product-price\">1,234.50"));
  EXPECT_TRUE(has(view.body, "data-testid=\"product-tax-rate\">5.5%"));
  auto edit = browser->get(location + "/edit");
  EXPECT_EQ(testenv::form_value(edit.body, "sale_price").value_or(""), "1234.50");
  EXPECT_EQ(testenv::form_value(edit.body, "tax_rate").value_or(""), "5.5");
  auto updated = browser->post_form(location, {{"version", *testenv::form_value(edit.body, "version")}, {"name", "Gadget"},
                                               {"sale_price", "99"}, {"tax_rate", "20"}});
  ASSERT_EQ(updated.status, 303);
  EXPECT_TRUE(has(browser->get(location).body, "99.00"));
  view = browser->get(location);
  auto archived = browser->post_form(location + "/archive", {{"version", *testenv::form_value(view.body, "version")}});
  EXPECT_EQ(archived.status, 303);
}

TEST_P(RecordForms, ProductStaleArchiveShowsTheConflict) {
  auto p = product("Thing", "1", "0");
  auto view = browser->get("/app/products/" + std::to_string(p.id));
  ASSERT_TRUE(app->services->products.update(company(), p.id, p.version, {"Thing 2", "", "", "2", "0", ""}));
  auto r = browser->post_form("/app/products/" + std::to_string(p.id) + "/archive",
                              {{"version", *testenv::form_value(view.body, "version")}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(has(r.body, "was changed by someone else since you opened it"));
}

TALLY_INSTANTIATE_DATABASE_TESTS(RecordForms);

}  // namespace
}  // namespace recordsweb
