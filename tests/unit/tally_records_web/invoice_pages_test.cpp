// HTTP tests of the invoice editor and view: several lines with server-computed totals, "Add line"
// without saving, line errors mapped back to the row typed in, status actions, and the version
// conflict between two tabs. On SQLite and PostgreSQL.
#include "records_web_fixture.hpp"

namespace recordsweb {
namespace {

class InvoicePages : public RecordPages {};

using Fields = std::vector<std::pair<std::string, std::string>>;

void add_line(Fields& f, int row, const std::string& product, const std::string& description, const std::string& qty,
              const std::string& price, const std::string& tax) {
  const std::string p = "lines[" + std::to_string(row) + "]";
  f.emplace_back(p + "[product_id]", product);
  f.emplace_back(p + "[description]", description);
  f.emplace_back(p + "[quantity]", qty);
  f.emplace_back(p + "[unit_price]", price);
  f.emplace_back(p + "[tax_rate]", tax);
}

TEST_P(InvoicePages, TwoLinesAreSavedWithTotalsComputedOnTheServer) {
  auto c = customer("Buyer Co");
  auto p = product("Support plan", "10.00", "5.5");
  auto form = browser->get("/app/invoices/new");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(has(form.body, "name=\"lines[2][description]\"")) << "three empty rows to start";
  EXPECT_FALSE(has(form.body, "name=\"lines[3][description]\""));
  EXPECT_EQ(testenv::form_value(form.body, "currency").value_or(""), "EUR");

  Fields f{{"customer_id", std::to_string(c.id)}, {"contact_id", ""}, {"issue_date", "2025-03-01"},
           {"due_date", "2025-03-31"}, {"currency", "EUR"}, {"notes", "Thanks!"}, {"action", "save"},
           {"total", "1.00"}};  // a total from the client is ignored
  add_line(f, 0, "", "Consulting", "2", "100.00", "20");
  add_line(f, 1, std::to_string(p.id), "", "1.5", "", "");  // price and rate from the product
  add_line(f, 2, "", "", "", "", "");
  auto saved = browser->post_form("/app/invoices", f);
  ASSERT_EQ(saved.status, 303) << saved.body;
  const std::string location = saved.header("location").value_or("");
  auto view = browser->get(location);
  ASSERT_EQ(view.status, 200);
  EXPECT_TRUE(has(view.body, "Invoice INV-00001 saved."));
  EXPECT_TRUE(has(view.body, "data-testid=\"invoice-number\">INV-00001"));
  EXPECT_TRUE(has(view.body, "data-testid=\"invoice-status\">draft"));
  EXPECT_TRUE(has(view.body, "data-testid=\"line-0-total\">240.00"));
  EXPECT_TRUE(has(view.body, "data-testid=\"line-1-description\">Support plan"));
  EXPECT_TRUE(has(view.body, "data-testid=\"line-1-tax\">0.83")) << "15.00 × 5.5% = 0.825, half away from zero";
  EXPECT_TRUE(has(view.body, "data-testid=\"invoice-net\">215.00 EUR"));
  EXPECT_TRUE(has(view.body, "data-testid=\"invoice-tax\">40.83 EUR"));
  EXPECT_TRUE(has(view.body, "data-testid=\"invoice-total\">255.83 EUR"));
  EXPECT_FALSE(has(view.body, "line-2-total")) << "the empty row was ignored";

  auto edit = browser->get(location + "/edit");
  ASSERT_EQ(edit.status, 200);
  EXPECT_EQ(testenv::form_value(edit.body, "lines\\[0\\]\\[unit_price\\]").value_or(""), "100.00");
  EXPECT_TRUE(has(edit.body, "data-testid=\"invoice-total\">255.83 EUR")) << "the editor shows the totals too";
  EXPECT_TRUE(has(edit.body, "name=\"lines[2][description]\"")) << "one spare row";
}

TEST_P(InvoicePages, AddLineRerendersWithOneMoreRowWithoutSaving) {
  auto c = customer("Buyer Co");
  browser->get("/app/invoices/new");
  Fields f{{"customer_id", std::to_string(c.id)}, {"currency", "EUR"}, {"action", "add_line"}};
  add_line(f, 0, "", "Design", "3", "50", "10");
  add_line(f, 1, "", "", "", "", "");
  add_line(f, 2, "", "", "", "", "");
  auto r = browser->post_form("/app/invoices", f);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "name=\"lines[3][description]\""));
  EXPECT_FALSE(has(r.body, "name=\"lines[4][description]\""));
  EXPECT_EQ(testenv::form_value(r.body, "lines\\[0\\]\\[description\\]").value_or(""), "Design");
  EXPECT_TRUE(has(r.body, "data-testid=\"line-0-total\">165.00"));
  EXPECT_TRUE(has(r.body, "data-testid=\"invoice-total\">165.00 EUR"));
  EXPECT_EQ(count("invoices"), 0);
}

TEST_P(InvoicePages, LineErrorsAreShownOnTheRowTheUserTypedIn) {
  auto c = customer("Buyer Co");
  browser->get("/app/invoices/new");
  Fields f{{"customer_id", std::to_string(c.id)}, {"issue_date", "2025-03-10"}, {"due_date", "2025-03-01"}};
  add_line(f, 0, "", "Good line", "1", "10", "");
  add_line(f, 1, "", "", "", "", "");
  add_line(f, 2, "", "Bad line", "abc", "12.345", "");
  auto r = browser->post_form("/app/invoices", f);
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "data-testid=\"line-2-error-quantity\""));
  EXPECT_TRUE(has(r.body, "data-testid=\"line-2-error-unit_price\""));
  EXPECT_FALSE(has(r.body, "data-testid=\"line-1-error-quantity\""));
  EXPECT_TRUE(has(r.body, "data-testid=\"error-due_date\">Due date must be on or after the issue date"));
  EXPECT_EQ(testenv::form_value(r.body, "lines\\[2\\]\\[quantity\\]").value_or(""), "abc");
  EXPECT_TRUE(has(r.body, "data-testid=\"line-0-total\">10.00")) << "valid rows still show their amounts";
  EXPECT_EQ(count("invoices"), 0);

  Fields empty{{"customer_id", ""}};
  add_line(empty, 0, "", "", "", "", "");
  auto none = browser->post_form("/app/invoices", empty);
  EXPECT_EQ(none.status, 422);
  EXPECT_TRUE(has(none.body, "data-testid=\"error-customer_id\""));
  EXPECT_TRUE(has(none.body, "data-testid=\"error-lines\""));
}

TEST_P(InvoicePages, StatusActionsFollowTheAllowedTransitions) {
  auto c = customer("Buyer Co");
  auto inv = invoice(c.id);
  const std::string path = "/app/invoices/" + std::to_string(inv.id);
  auto view = browser->get(path);
  EXPECT_TRUE(has(view.body, "data-testid=\"status-sent\""));
  EXPECT_TRUE(has(view.body, "data-testid=\"status-void\""));
  EXPECT_FALSE(has(view.body, "data-testid=\"status-paid\""));
  EXPECT_TRUE(has(view.body, "data-testid=\"edit-invoice\""));
  auto sent = browser->post_form(path + "/status", {{"status", "sent"}, {"version", *testenv::form_value(view.body, "version")}});
  ASSERT_EQ(sent.status, 303) << sent.body;
  view = browser->get(path);
  EXPECT_TRUE(has(view.body, "Invoice INV-00001 marked sent."));
  EXPECT_TRUE(has(view.body, "data-testid=\"invoice-status\">sent"));
  EXPECT_TRUE(has(view.body, "data-testid=\"status-paid\""));
  EXPECT_FALSE(has(view.body, "data-testid=\"edit-invoice\"")) << "only drafts are editable";
  auto edit = browser->get(path + "/edit");
  EXPECT_EQ(edit.status, 303) << "a sent invoice's editor sends back to the view";

  auto version = *testenv::form_value(view.body, "version");
  auto bad = browser->post_form(path + "/status", {{"status", "draft"}, {"version", version}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(has(bad.body, "data-testid=\"record-alert\""));
  auto paid = browser->post_form(path + "/status", {{"status", "paid"}, {"version", version}});
  ASSERT_EQ(paid.status, 303);
  view = browser->get(path);
  EXPECT_TRUE(has(view.body, "data-testid=\"invoice-status\">paid"));
  EXPECT_FALSE(has(view.body, "data-testid=\"status-void\"")) << "paid is final";
  auto stale = browser->post_form(path + "/status", {{"status", "void"}, {"version", version}});
  EXPECT_EQ(stale.status, 409);

  auto archived = browser->post_form(path + "/archive", {{"version", *testenv::form_value(view.body, "version")}});
  EXPECT_EQ(archived.status, 303);
  auto list = browser->get("/app/invoices");
  EXPECT_TRUE(has(list.body, "Invoice INV-00001 archived."));
  EXPECT_FALSE(has(list.body, "data-testid=\"invoice-row\"")) << "archived invoices leave the list";
}

TEST_P(InvoicePages, SecondTabGetsTheVersionConflict) {
  auto c = customer("Buyer Co");
  auto inv = invoice(c.id);
  testenv::Browser other(app->url);
  ASSERT_TRUE(other.login(account.email, account.password));
  const std::string path = "/app/invoices/" + std::to_string(inv.id);
  auto mine = browser->get(path + "/edit");
  auto theirs = other.get(path + "/edit");
  ASSERT_EQ(mine.status, 200);
  Fields f{{"customer_id", std::to_string(c.id)}, {"version", *testenv::form_value(theirs.body, "version")}};
  add_line(f, 0, "", "Theirs", "1", "10", "0");
  ASSERT_EQ(other.post_form(path, f).status, 303);
  Fields g{{"customer_id", std::to_string(c.id)}, {"version", *testenv::form_value(mine.body, "version")}};
  add_line(g, 0, "", "Mine", "2", "10", "0");
  auto r = browser->post_form(path, g);
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(has(r.body, "data-testid=\"version-conflict\""));
  EXPECT_TRUE(has(r.body, "was changed by someone else since you opened it"));
  EXPECT_EQ(testenv::form_value(r.body, "lines\\[0\\]\\[description\\]").value_or(""), "Mine");
  auto stored = app->services->invoices.get(company(), inv.id);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->lines.size(), 1u);
  EXPECT_EQ(stored->lines[0].description, "Theirs");
}

TEST_P(InvoicePages, EditorOffersOnlyTheCompanysActiveRecords) {
  auto c = customer("Mine Co");
  auto p = product("Mine product", "1", "0");
  auto other = app->create_account("rival@example.com", "Rival");
  customer("Rival Customer", "", other.company_id);
  product("Rival product", "1", "0", other.company_id);
  auto form = browser->get("/app/invoices/new?customer_id=" + std::to_string(c.id));
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(has(form.body, "<option value=\"" + std::to_string(c.id) + "\" selected>Mine Co</option>"));
  EXPECT_TRUE(has(form.body, "Mine product"));
  EXPECT_FALSE(has(form.body, "Rival"));
  (void)p;
}

TALLY_INSTANTIATE_DATABASE_TESTS(InvoicePages);

}  // namespace
}  // namespace recordsweb
