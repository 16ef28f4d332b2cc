// CustomerService on both backends: validation messages, code uniqueness among non-archived
// customers, scoping to the company, optimistic versioning, archiving with open invoices.
#include "unit/records/records_fixture.hpp"

using namespace tally;
using records_test::line;

class CustomerTest : public records_test::RecordsTest {};

TEST_P(CustomerTest, CreatesAndReadsBack) {
  CustomerService s(db(), clock_, sink_);
  CustomerInput in;
  in.name = "  Globex  ";
  in.code = "GLX";
  in.email = "billing@globex.example";
  in.website = "https://globex.example";
  in.billing = {"1 Main St", "", "Springfield", "12345", "", "us"};
  in.notes = "VIP";
  auto c = s.create(company_a_, in);
  ASSERT_OK(c);
  EXPECT_EQ(c->name, "Globex");
  EXPECT_EQ(c->billing.country, "US");
  EXPECT_EQ(c->version, 1);
  auto back = s.get(company_a_, c->id);
  ASSERT_OK(back);
  EXPECT_EQ(back->code, "GLX");
  EXPECT_EQ(back->billing, c->billing);
  EXPECT_EQ(back->created_at, "2027-01-15T08:00:00Z");
  EXPECT_FALSE(back->archived());
}

TEST_P(CustomerTest, ValidationMessages) {
  CustomerService s(db(), clock_, sink_);
  CustomerInput in;
  in.name = "  ";
  in.email = "not-an-email";
  in.website = "ftp://x.example";
  in.billing.country = "FRA";
  in.shipping.country = "1x";
  auto r = s.create(company_a_, in);
  EXPECT_FIELD_ERROR(r, "name", "is required");
  EXPECT_FIELD_ERROR(r, "email", "must be a valid email address");
  EXPECT_FIELD_ERROR(r, "website", "must be a web address starting with http:// or https://");
  EXPECT_FIELD_ERROR(r, "billing.country", "must be a 2-letter country code, e.g. FR");
  EXPECT_FIELD_ERROR(r, "shipping.country", "must be a 2-letter country code, e.g. FR");
  in = {};
  in.name = std::string(201, 'x');
  EXPECT_FIELD_ERROR(s.create(company_a_, in), "name", "must be at most 200 characters");
  EXPECT_TRUE(events().empty());
}

TEST_P(CustomerTest, CodeUniquePerCompanyAmongActive) {
  CustomerService s(db(), clock_, sink_);
  auto first = customer(company_a_, "One", "C1");
  CustomerInput in;
  in.name = "Two";
  in.code = "C1";
  EXPECT_FIELD_ERROR(s.create(company_a_, in), "code", "is already used by another customer");
  ASSERT_OK(s.create(company_b_, in));  // another company may use it
  ASSERT_OK(s.archive(company_a_, first.id, first.version));
  ASSERT_OK(s.create(company_a_, in));  // freed by archiving
  // Empty codes never collide.
  customer(company_a_, "No code 1");
  customer(company_a_, "No code 2");
}

TEST_P(CustomerTest, OtherCompanysIdIsNotFound) {
  CustomerService s(db(), clock_, sink_);
  auto theirs = customer(company_b_, "Theirs");
  EXPECT_ERROR_CODE(s.get(company_a_, theirs.id), "record.not_found");
  CustomerInput in;
  in.name = "Hijack";
  EXPECT_ERROR_CODE(s.update(company_a_, theirs.id, 1, in), "record.not_found");
  EXPECT_ERROR_CODE(s.archive(company_a_, theirs.id, 1), "record.not_found");
  EXPECT_EQ(s.get(company_b_, theirs.id)->name, "Theirs");
  EXPECT_ERROR_CODE(s.get(company_a_, 999999), "record.not_found");
}

TEST_P(CustomerTest, StaleUpdateRefused) {
  CustomerService s(db(), clock_, sink_);
  auto c = customer(company_a_, "Initech");
  CustomerInput in;
  in.name = "Initech Ltd";
  auto first = s.update(company_a_, c.id, 1, in);
  ASSERT_OK(first);
  EXPECT_EQ(first->version, 2);
  in.name = "Initech Inc";
  auto second = s.update(company_a_, c.id, 1, in);
  EXPECT_ERROR_CODE(second, "record.stale");
  EXPECT_EQ(second.error().message,
            "this customer was changed by someone else since you opened it; reload to see their changes");
  EXPECT_ERROR_CODE(s.archive(company_a_, c.id, 1), "record.stale");
  EXPECT_EQ(s.get(company_a_, c.id)->name, "Initech Ltd");
}

TEST_P(CustomerTest, ArchiveRefusedWhileOpenInvoicesUseIt) {
  CustomerService s(db(), clock_, sink_);
  InvoiceService inv(db(), clock_, sink_);
  auto c = customer(company_a_, "Busy");
  auto i1 = invoice(company_a_, c.id, {line("Work", "1", "10")});
  auto i2 = invoice(company_a_, c.id, {line("Work", "1", "10")});
  auto r = s.archive(company_a_, c.id, c.version);
  EXPECT_ERROR_CODE(r, "record.in_use");
  EXPECT_NE(r.error().message.find("2 open invoices"), std::string::npos) << r.error().message;
  EXPECT_FALSE(s.get(company_a_, c.id)->archived());  // rolled back
  ASSERT_OK(inv.change_status(company_a_, i1.id, i1.version, "void"));
  auto one = s.archive(company_a_, c.id, c.version);
  EXPECT_ERROR_CODE(one, "record.in_use");
  EXPECT_NE(one.error().message.find("1 open invoice (draft or sent) uses it"), std::string::npos);
  auto sent = inv.change_status(company_a_, i2.id, i2.version, "sent");
  ASSERT_OK(sent);
  ASSERT_OK(inv.change_status(company_a_, i2.id, sent->version, "paid"));
  auto archived = s.archive(company_a_, c.id, c.version);
  ASSERT_OK(archived);
  EXPECT_TRUE(archived->archived());
  EXPECT_EQ(archived->version, 2);
  // Archived customers cannot be picked for new invoices and are hidden from lists by default.
  InvoiceInput in;
  in.customer_id = std::to_string(c.id);
  in.lines = {line("x", "1", "1")};
  EXPECT_FIELD_ERROR(inv.create(company_a_, in), "customer_id", "is archived");
  EXPECT_EQ(s.list(company_a_, {})->total, 0);
  ListQuery all;
  all.include_archived = true;
  EXPECT_EQ(s.list(company_a_, all)->total, 1);
}

TALLY_INSTANTIATE_DATABASE_TESTS(CustomerTest);
