// Lists on both backends: search (case-insensitive, % and _ literal, injection-safe), the sort
// whitelist, pagination and totals, archived filtering, invoice filters.
#include "unit/records/records_fixture.hpp"

using namespace tally;
using records_test::line;

class ListTest : public records_test::RecordsTest {};

TEST_P(ListTest, SearchIsCaseInsensitiveAndLiteral) {
  CustomerService s(db(), clock_, sink_);
  customer(company_a_, "100% Organic");
  customer(company_a_, "Foo_Bar Ltd");
  customer(company_a_, "FooXBar Ltd");
  customer(company_a_, "Plain", "P-1");
  customer(company_b_, "100% Other company");
  auto find = [&](const std::string& text) {
    ListQuery q;
    q.search = text;
    auto page = s.list(company_a_, q);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> names;
    for (const auto& c : page->items) names.push_back(c.name);
    return names;
  };
  EXPECT_EQ(find("%"), std::vector<std::string>{"100% Organic"});
  EXPECT_EQ(find("_"), std::vector<std::string>{"Foo_Bar Ltd"});
  EXPECT_EQ(find("foo_bar"), std::vector<std::string>{"Foo_Bar Ltd"});
  EXPECT_EQ(find("ORGANIC"), std::vector<std::string>{"100% Organic"});
  EXPECT_EQ(find("p-1"), std::vector<std::string>{"Plain"});  // code
  EXPECT_TRUE(find("' OR 1=1 --").empty());
  EXPECT_TRUE(find("\\").empty());
  EXPECT_EQ(find("").size(), 4u);
}

TEST_P(ListTest, SortWhitelistPaginationTotal) {
  ProductService s(db(), clock_, sink_);
  for (int n = 0; n < 7; ++n) product(company_a_, "P" + std::to_string(n), std::to_string(10 - n));
  ListQuery q;
  q.sort = "price";
  q.per_page = 3;
  q.page = 1;
  auto p1 = s.list(company_a_, q);
  ASSERT_OK(p1);
  EXPECT_EQ(p1->total, 7);
  EXPECT_EQ(p1->page_count(), 3);
  ASSERT_EQ(p1->items.size(), 3u);
  EXPECT_EQ(p1->items[0].name, "P6");  // cheapest first
  q.page = 3;
  auto p3 = s.list(company_a_, q);
  ASSERT_OK(p3);
  ASSERT_EQ(p3->items.size(), 1u);
  EXPECT_EQ(p3->items[0].name, "P0");
  q.page = 4;
  EXPECT_TRUE(s.list(company_a_, q)->items.empty());
  q.page = 1;
  q.descending = true;
  EXPECT_EQ(s.list(company_a_, q)->items[0].name, "P0");

  ListQuery bad;
  bad.sort = "name; DROP TABLE products";
  EXPECT_FIELD_ERROR(s.list(company_a_, bad), "sort", "must be one of name, code, price, created_at, updated_at");
  bad = {};
  bad.page = 0;
  bad.per_page = 101;
  auto r = s.list(company_a_, bad);
  EXPECT_FIELD_ERROR(r, "page", "must be 1 or more");
  EXPECT_FIELD_ERROR(r, "per_page", "must be between 1 and 100");
  CustomerService cs(db(), clock_, sink_);
  ListQuery bad_c;
  bad_c.sort = "price";
  EXPECT_FIELD_ERROR(cs.list(company_a_, bad_c), "sort", "must be one of name, code, email, created_at, updated_at");
}

TEST_P(ListTest, NameSortIgnoresCase) {
  CustomerService s(db(), clock_, sink_);
  customer(company_a_, "beta");
  customer(company_a_, "Alpha");
  customer(company_a_, "Gamma");
  auto page = s.list(company_a_, {});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].name, "Alpha");
  EXPECT_EQ(page->items[1].name, "beta");
}

TEST_P(ListTest, InvoiceSearchFiltersAndSorts) {
  InvoiceService s(db(), clock_, sink_);
  auto acme = customer(company_a_, "Acme Corp");
  auto zeta = customer(company_a_, "Zeta");
  auto i1 = invoice(company_a_, acme.id, {line("x", "1", "30")}, "2027-01-10");
  auto i2 = invoice(company_a_, zeta.id, {line("x", "1", "10")}, "2027-01-12");
  auto i3 = invoice(company_a_, acme.id, {line("x", "1", "20")}, "2027-01-11");
  ASSERT_OK(s.change_status(company_a_, i2.id, 1, "sent"));
  ASSERT_OK(s.archive(company_a_, i3.id, 1));

  InvoiceListQuery q;
  q.search = "acme";
  auto r = s.list(company_a_, q);
  ASSERT_OK(r);
  ASSERT_EQ(r->total, 1);  // i3 archived
  EXPECT_EQ(r->items[0].id, i1.id);
  EXPECT_EQ(r->items[0].customer_name, "Acme Corp");
  EXPECT_TRUE(r->items[0].lines.empty());  // lists carry headers only
  EXPECT_EQ(r->items[0].line_count, 1);
  q.search = "inv-00002";
  EXPECT_EQ(s.list(company_a_, q)->items.at(0).id, i2.id);
  q = {};
  q.status = "sent";
  EXPECT_EQ(s.list(company_a_, q)->total, 1);
  q.status = "nope";
  EXPECT_FIELD_ERROR(s.list(company_a_, q), "status", "must be one of draft, sent, paid, void");
  q = {};
  q.customer_id = acme.id;
  q.include_archived = true;
  EXPECT_EQ(s.list(company_a_, q)->total, 2);
  q = {};
  q.sort = "total";
  q.descending = true;
  EXPECT_EQ(s.list(company_a_, q)->items.at(0).id, i1.id);
  q.sort = "customer";
  EXPECT_EQ(s.list(company_a_, q)->items.at(0).id, i2.id);  // Zeta first, descending
  q.sort = "issue_date";
  q.descending = false;
  q.include_archived = true;
  auto by_date = s.list(company_a_, q);
  ASSERT_OK(by_date);
  EXPECT_EQ(by_date->items.at(1).id, i3.id);
  EXPECT_EQ(s.list(company_b_, ListQuery{})->total, 0);
}

TALLY_INSTANTIATE_DATABASE_TESTS(ListTest);
