// HTTP tests of the record list pages: search, sorting (with the friendly page for an unknown sort),
// pagination with links that keep the query, the archived toggle, the invoice status filter and
// escaping of user data. On SQLite and PostgreSQL.
#include <cstdio>

#include "records_web_fixture.hpp"

namespace recordsweb {
namespace {

class ListPages : public RecordPages {};

std::string name_of(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "Customer %03d", i);
  return buf;
}

TEST_P(ListPages, PaginatesWithShowingTextAndLinksThatKeepTheQuery) {
  for (int i = 1; i <= 30; ++i) customer(name_of(i));
  auto first = browser->get("/app/customers");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(has(first.body, "Showing 1–25 of 30"));
  EXPECT_TRUE(has(first.body, "Customer 001"));
  EXPECT_FALSE(has(first.body, "Customer 026"));
  EXPECT_TRUE(has(first.body, "href=\"/app/customers?page=2\""));
  EXPECT_FALSE(has(first.body, "data-testid=\"page-prev\""));

  auto second = browser->get("/app/customers?page=2");
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(has(second.body, "Showing 26–30 of 30"));
  EXPECT_TRUE(has(second.body, "Customer 030"));
  EXPECT_TRUE(has(second.body, "data-testid=\"page-prev\""));
  EXPECT_FALSE(has(second.body, "data-testid=\"page-next\""));

  auto small = browser->get("/app/customers?q=Customer&sort=name&dir=desc&per_page=10&page=2");
  ASSERT_EQ(small.status, 200);
  EXPECT_TRUE(has(small.body, "Showing 11–20 of 30"));
  EXPECT_TRUE(has(small.body, "Customer 020"));
  EXPECT_TRUE(has(small.body, "href=\"/app/customers?q=Customer&amp;sort=name&amp;dir=desc&amp;per_page=10&amp;page=3\""))
      << "next keeps q, sort, dir and per_page";
  EXPECT_TRUE(has(small.body, "href=\"/app/customers?q=Customer&amp;sort=name&amp;dir=desc&amp;per_page=10\""))
      << "previous goes to page 1 with the same query";
}

TEST_P(ListPages, SearchesAndSortsBothWays) {
  customer("Bravo Ltd", "B1");
  customer("Alpha SA", "A1");
  customer("Charlie GmbH", "C1");
  auto asc = browser->get("/app/customers?sort=name");
  ASSERT_EQ(asc.status, 200);
  EXPECT_LT(asc.body.find("Alpha SA"), asc.body.find("Bravo Ltd"));
  EXPECT_LT(asc.body.find("Bravo Ltd"), asc.body.find("Charlie GmbH"));
  EXPECT_TRUE(has(asc.body, "href=\"/app/customers?sort=name&amp;dir=desc\"")) << "the sorted column flips direction";
  auto desc = browser->get("/app/customers?sort=name&dir=desc");
  EXPECT_LT(desc.body.find("Charlie GmbH"), desc.body.find("Bravo Ltd"));
  EXPECT_TRUE(has(desc.body, "aria-sort=\"descending\""));

  auto found = browser->get("/app/customers?q=brav");
  ASSERT_EQ(found.status, 200);
  EXPECT_TRUE(has(found.body, "Bravo Ltd"));
  EXPECT_FALSE(has(found.body, "Alpha SA"));
  EXPECT_TRUE(has(found.body, "Showing 1–1 of 1"));
  EXPECT_TRUE(has(found.body, "value=\"brav\"")) << "the search box keeps the text";

  auto none = browser->get("/app/customers?q=zzz");
  EXPECT_TRUE(has(none.body, "No customers found"));
}

TEST_P(ListPages, UnknownSortOrBadPageGivesAFriendly400) {
  customer("Alpha");
  for (const std::string path : {"/app/customers?sort=password", "/app/contacts?sort=nope", "/app/products?sort=x",
                                 "/app/invoices?sort=drop+table", "/app/customers?per_page=1000", "/app/products?page=abc",
                                 "/app/invoices?status=lost"}) {
    auto r = browser->get(path);
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_TRUE(has(r.body, "data-testid=\"list-error\"")) << path;
    EXPECT_FALSE(has(r.body, "SQL")) << path;
  }
  auto r = browser->get("/app/customers?sort=password");
  EXPECT_TRUE(has(r.body, "The sort column must be one of name")) << r.body;
}

TEST_P(ListPages, ArchivedRowsAreHiddenUnlessAsked) {
  auto kept = customer("Kept Co");
  auto gone = customer("Gone Co");
  ASSERT_TRUE(app->services->customers.archive(company(), gone.id, gone.version));
  auto normal = browser->get("/app/customers");
  EXPECT_TRUE(has(normal.body, "Kept Co"));
  EXPECT_FALSE(has(normal.body, "Gone Co"));
  EXPECT_TRUE(has(normal.body, "href=\"/app/customers?archived=1\""));
  auto all = browser->get("/app/customers?archived=1");
  EXPECT_TRUE(has(all.body, "Gone Co"));
  EXPECT_TRUE(has(all.body, "badge-archived"));
  EXPECT_TRUE(has(all.body, "Hide archived"));
  (void)kept;
}

TEST_P(ListPages, EveryListRendersItsRowsAndEscapesUserData) {
  auto c = customer("<b>Bold</b> & Co");
  contact("Ann", "<i>Lee</i>", c.id);
  product("Widget <x>", "1,234.50", "5.5");
  invoice(c.id, "99.99");
  auto customers = browser->get("/app/customers");
  EXPECT_TRUE(has(customers.body, "&lt;b&gt;Bold&lt;/b&gt; &amp; Co"));
  EXPECT_FALSE(has(customers.body, "<b>Bold</b>"));
  EXPECT_TRUE(has(customers.body, "data-testid=\"customer-row\""));
  auto contacts = browser->get("/app/contacts");
  ASSERT_EQ(contacts.status, 200);
  EXPECT_TRUE(has(contacts.body, "Ann &lt;i&gt;Lee&lt;/i&gt;"));
  EXPECT_TRUE(has(contacts.body, "data-testid=\"contact-row\""));
  auto products = browser->get("/app/products");
  ASSERT_EQ(products.status, 200);
  EXPECT_TRUE(has(products.body, "Widget &lt;x&gt;"));
  EXPECT_TRUE(has(products.body, "1,234.50"));
  EXPECT_TRUE(has(products.body, "5.5%"));
  auto invoices = browser->get("/app/invoices");
  ASSERT_EQ(invoices.status, 200);
  EXPECT_TRUE(has(invoices.body, "INV-00001"));
  EXPECT_TRUE(has(invoices.body, "119.99 EUR")) << "99.99 + 20% tax";
  EXPECT_TRUE(has(invoices.body, "badge-draft"));
  EXPECT_TRUE(has(invoices.body, "data-testid=\"invoice-row\""));
}

TEST_P(ListPages, InvoiceListFiltersByStatusAndCustomer) {
  auto a = customer("Alpha");
  auto b = customer("Bravo");
  auto i1 = invoice(a.id);
  invoice(b.id);
  ASSERT_TRUE(app->services->invoices.change_status(company(), i1.id, i1.version, "sent"));
  auto sent = browser->get("/app/invoices?status=sent");
  ASSERT_EQ(sent.status, 200);
  EXPECT_TRUE(has(sent.body, "INV-00001"));
  EXPECT_FALSE(has(sent.body, "INV-00002"));
  EXPECT_TRUE(has(sent.body, "<option value=\"sent\" selected>"));
  EXPECT_TRUE(has(sent.body, "Showing 1–1 of 1"));
  auto of_b = browser->get("/app/invoices?customer_id=" + std::to_string(b.id));
  EXPECT_FALSE(has(of_b.body, "INV-00001"));
  EXPECT_TRUE(has(of_b.body, "INV-00002"));
  EXPECT_TRUE(has(of_b.body, "name=\"customer_id\" value=\"" + std::to_string(b.id) + "\"")) << "the search keeps the filter";
}

TEST_P(ListPages, ListsNeedASignedInUser) {
  testenv::Browser stranger(app->url);
  for (const std::string path : {"/app/customers", "/app/contacts", "/app/products", "/app/invoices", "/app/invoices/new"}) {
    auto r = stranger.get(path);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(r.header("location").value_or("").rfind("/login", 0), 0u) << path;
  }
}

TALLY_INSTANTIATE_DATABASE_TESTS(ListPages);

}  // namespace
}  // namespace recordsweb
