// ContactService and ProductService on both backends: validation, the contact's customer from
// the same company, code uniqueness, scoping, versioning, archiving always allowed.
#include "unit/records/records_fixture.hpp"

using namespace tally;
using records_test::line;

class ContactProductTest : public records_test::RecordsTest {};

TEST_P(ContactProductTest, ContactValidation) {
  ContactService s(db(), clock_, sink_);
  ContactInput in;
  in.email = "x@";
  in.customer_id = "abc";
  auto r = s.create(company_a_, in);
  EXPECT_FIELD_ERROR(r, "first_name", "or last name is required");
  EXPECT_FIELD_ERROR(r, "email", "must be a valid email address");
  EXPECT_FIELD_ERROR(r, "customer_id", "is not a valid id");
  in = {};
  in.last_name = "Solo";
  auto ok = s.create(company_a_, in);
  ASSERT_OK(ok);
  EXPECT_EQ(ok->display_name(), "Solo");
  EXPECT_FALSE(ok->customer_id);
}

TEST_P(ContactProductTest, ContactCustomerMustBeOwnAndActive) {
  ContactService s(db(), clock_, sink_);
  CustomerService cs(db(), clock_, sink_);
  auto mine = customer(company_a_, "Mine");
  auto theirs = customer(company_b_, "Theirs");
  ContactInput in;
  in.first_name = "Ann";
  in.customer_id = std::to_string(theirs.id);
  EXPECT_FIELD_ERROR(s.create(company_a_, in), "customer_id", "is not one of your customers");
  in.customer_id = std::to_string(mine.id);
  auto k = s.create(company_a_, in);
  ASSERT_OK(k);
  EXPECT_EQ(k->customer_name, "Mine");
  ASSERT_OK(cs.archive(company_a_, mine.id, mine.version));
  EXPECT_FIELD_ERROR(s.create(company_a_, in), "customer_id", "is archived");
  // Keeping the archived customer it already had is fine.
  in.job_title = "CTO";
  ASSERT_OK(s.update(company_a_, k->id, k->version, in));
}

TEST_P(ContactProductTest, ContactScopingVersioningArchive) {
  ContactService s(db(), clock_, sink_);
  auto theirs = contact(company_b_, "Bob", "B");
  ContactInput in;
  in.first_name = "X";
  EXPECT_ERROR_CODE(s.get(company_a_, theirs.id), "record.not_found");
  EXPECT_ERROR_CODE(s.update(company_a_, theirs.id, 1, in), "record.not_found");
  EXPECT_ERROR_CODE(s.archive(company_a_, theirs.id, 1), "record.not_found");
  auto mine = contact(company_a_, "Carol", "C");
  ASSERT_OK(s.update(company_a_, mine.id, 1, in));
  auto stale = s.update(company_a_, mine.id, 1, in);
  EXPECT_ERROR_CODE(stale, "record.stale");
  EXPECT_EQ(stale.error().message,
            "this contact was changed by someone else since you opened it; reload to see their changes");
  auto archived = s.archive(company_a_, mine.id, 2);
  ASSERT_OK(archived);
  EXPECT_TRUE(archived->archived());
}

TEST_P(ContactProductTest, ContactListFilterByCustomer) {
  ContactService s(db(), clock_, sink_);
  auto a = customer(company_a_, "A");
  auto b = customer(company_a_, "B");
  contact(company_a_, "Ann", "One", a.id);
  contact(company_a_, "Ben", "Two", b.id);
  contact(company_a_, "Cid", "Three");
  ContactListQuery q;
  q.customer_id = a.id;
  auto page = s.list(company_a_, q);
  ASSERT_OK(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].first_name, "Ann");
  EXPECT_EQ(page->items[0].customer_name, "A");
  ContactListQuery by_customer_name;
  by_customer_name.search = "b";  // matches Ben (first name) and customer "B"
  EXPECT_EQ(s.list(company_a_, by_customer_name)->total, 1);
  ListQuery sorted;
  sorted.sort = "first_name";
  sorted.descending = true;
  EXPECT_EQ(s.list(company_a_, sorted)->items[0].first_name, "Cid");
}

TEST_P(ContactProductTest, ProductValidationAndStorage) {
  ProductService s(db(), clock_, sink_);
  ProductInput in;
  in.sale_price = "12.345";
  in.tax_rate = "101";
  auto r = s.create(company_a_, in);
  EXPECT_FIELD_ERROR(r, "name", "is required");
  EXPECT_FIELD_ERROR(r, "sale_price", "must have at most 2 decimals");
  EXPECT_FIELD_ERROR(r, "tax_rate", "must be between 0 and 100");
  in.name = "Big";
  in.sale_price = "1,000,000,000.01";
  in.tax_rate = "5.555";
  auto r2 = s.create(company_a_, in);
  EXPECT_FIELD_ERROR(r2, "sale_price", "is too large");
  EXPECT_FIELD_ERROR(r2, "tax_rate", "must have at most 2 decimals");
  in.name = "Consulting";
  in.code = "SKU-1";
  in.sale_price = "1,234.50";
  in.tax_rate = "20";
  in.unit = "hour";
  auto p = s.create(company_a_, in);
  ASSERT_OK(p);
  auto back = s.get(company_a_, p->id);
  ASSERT_OK(back);
  EXPECT_EQ(back->sale_price_cents, 123450);
  EXPECT_EQ(back->tax_rate_bp, 2000);
  EXPECT_EQ(back->unit, "hour");
  in.name = "Dup";
  EXPECT_FIELD_ERROR(s.create(company_a_, in), "code", "is already used by another product");
  ASSERT_OK(s.create(company_b_, in));
}

TEST_P(ContactProductTest, ProductScopingVersioningArchiveAllowedWhenUsed) {
  ProductService s(db(), clock_, sink_);
  InvoiceService inv(db(), clock_, sink_);
  auto theirs = product(company_b_, "Theirs", "1");
  ProductInput in;
  in.name = "x";
  EXPECT_ERROR_CODE(s.get(company_a_, theirs.id), "record.not_found");
  EXPECT_ERROR_CODE(s.update(company_a_, theirs.id, 1, in), "record.not_found");
  EXPECT_ERROR_CODE(s.archive(company_a_, theirs.id, 1), "record.not_found");
  auto p = product(company_a_, "Widget", "9.99", "20");
  auto c = customer(company_a_, "Cust");
  auto l = line("", "2", "");
  l.product_id = std::to_string(p.id);
  auto i = invoice(company_a_, c.id, {l});
  ASSERT_OK(s.update(company_a_, p.id, 1, in));
  EXPECT_ERROR_CODE(s.update(company_a_, p.id, 1, in), "record.stale");
  ASSERT_OK(s.archive(company_a_, p.id, 2));  // allowed although a draft uses it
  auto kept = inv.get(company_a_, i.id);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->lines[0].description, "Widget");  // the invoice kept its copy
  EXPECT_EQ(kept->lines[0].unit_price_cents, 999);
  // An archived product cannot go on a new invoice, but the draft that has it can still be saved.
  InvoiceInput again;
  again.customer_id = std::to_string(c.id);
  again.lines = {l};
  EXPECT_FIELD_ERROR(inv.create(company_a_, again), "lines[0].product_id", "is archived");
  ASSERT_OK(inv.update(company_a_, i.id, i.version, again));
}

TALLY_INSTANTIATE_DATABASE_TESTS(ContactProductTest);
