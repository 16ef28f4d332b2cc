// InvoiceService on both backends: validation, references from the same company only, product
// defaults, exact totals, numbering (also under concurrent creates), status transitions, editing
// only drafts, versioning.
#include <thread>

#include "tally/domain/money.hpp"
#include "unit/records/records_fixture.hpp"

using namespace tally;
using records_test::line;

class InvoiceTest : public records_test::RecordsTest {
 protected:
  InvoiceInput input(int64_t customer_id, std::vector<InvoiceLineInput> lines) {
    InvoiceInput in;
    in.customer_id = std::to_string(customer_id);
    in.lines = std::move(lines);
    return in;
  }
};

TEST_P(InvoiceTest, CreatesDraftWithDefaultsAndNames) {
  InvoiceService s(db(), clock_, sink_);
  auto c = customer(company_a_, "Globex");
  auto k = contact(company_a_, "Hank", "Scorpio", c.id);
  auto in = input(c.id, {line("Design", "2", "100", "20")});
  in.contact_id = std::to_string(k.id);
  auto i = s.create(company_a_, in);
  ASSERT_OK(i);
  EXPECT_EQ(i->number, "INV-00001");
  EXPECT_EQ(i->status, InvoiceStatus::draft);
  EXPECT_EQ(i->currency, "EUR");  // the company's
  EXPECT_EQ(i->issue_date, "2027-01-15");  // today from the clock
  EXPECT_EQ(i->due_date, "2027-02-14");    // + 30 days
  EXPECT_EQ(i->customer_name, "Globex");
  EXPECT_EQ(i->contact_name, "Hank Scorpio");
  ASSERT_EQ(i->lines.size(), 1u);
  EXPECT_EQ(i->lines[0].net_cents, 20000);
  EXPECT_EQ(i->lines[0].tax_cents, 4000);
  EXPECT_EQ(i->lines[0].total_cents, 24000);
  EXPECT_EQ(i->total_cents, 24000);
  EXPECT_EQ(i->line_count, 1);
  auto usd = invoice(company_b_, customer(company_b_, "B").id, {line("x", "1", "1")});
  EXPECT_EQ(usd.currency, "USD");
  EXPECT_EQ(usd.number, "INV-00001");  // numbering is per company
}

TEST_P(InvoiceTest, ValidationMessages) {
  InvoiceService s(db(), clock_, sink_);
  auto c = customer(company_a_, "C");
  InvoiceInput in;
  in.issue_date = "2027-02-30";
  in.due_date = "tomorrow";
  in.currency = "euro";
  auto r = s.create(company_a_, in);
  EXPECT_FIELD_ERROR(r, "customer_id", "is required");
  EXPECT_FIELD_ERROR(r, "issue_date", "must be a date like 2025-01-31");
  EXPECT_FIELD_ERROR(r, "due_date", "must be a date like 2025-01-31");
  EXPECT_FIELD_ERROR(r, "currency", "must be 3 letters, e.g. EUR");
  EXPECT_FIELD_ERROR(r, "lines", "must have at least one line");

  in = input(c.id, {line("", "0", "abc"), line("ok", "1.2345", "1.001", "20.001"), line("neg", "-1", "1"),
                    line("no price", "1", "")});
  in.issue_date = "2027-03-10";
  in.due_date = "2027-03-09";
  auto r2 = s.create(company_a_, in);
  EXPECT_FIELD_ERROR(r2, "due_date", "must be on or after the issue date");
  EXPECT_FIELD_ERROR(r2, "lines[0].description", "is required");
  EXPECT_FIELD_ERROR(r2, "lines[0].quantity", "must be more than 0");
  EXPECT_FIELD_ERROR(r2, "lines[0].unit_price", "must be an amount like 1234.50");
  EXPECT_FIELD_ERROR(r2, "lines[1].quantity", "must have at most 3 decimals");
  EXPECT_FIELD_ERROR(r2, "lines[1].unit_price", "must have at most 2 decimals");
  EXPECT_FIELD_ERROR(r2, "lines[1].tax_rate", "must have at most 2 decimals");
  EXPECT_FIELD_ERROR(r2, "lines[2].quantity", "must be more than 0");
  EXPECT_FIELD_ERROR(r2, "lines[3].unit_price", "is required");

  std::vector<InvoiceLineInput> many(201, line("x", "1", "1"));
  EXPECT_FIELD_ERROR(s.create(company_a_, input(c.id, many)), "lines", "can have at most 200 lines");
  many.resize(200);
  auto max = s.create(company_a_, input(c.id, many));
  ASSERT_OK(max);
  EXPECT_EQ(max->lines.size(), 200u);
  EXPECT_EQ(max->total_cents, 20000);
  EXPECT_FIELD_ERROR(s.create(company_a_, input(c.id, {line("x", "1", "100,000,000,000.00")})), "lines[0].unit_price",
                     "is too large");
  EXPECT_EQ(events().size(), 2u);  // the customer and the 200-line invoice; refused creates emit nothing
}

TEST_P(InvoiceTest, ReferencesMustBelongToTheCompany) {
  InvoiceService s(db(), clock_, sink_);
  auto mine = customer(company_a_, "Mine");
  auto other_mine = customer(company_a_, "Other mine");
  auto theirs = customer(company_b_, "Theirs");
  auto their_contact = contact(company_b_, "T", "C");
  auto their_product = product(company_b_, "TP", "5");
  auto foreign_contact = contact(company_a_, "F", "C", other_mine.id);

  EXPECT_FIELD_ERROR(s.create(company_a_, input(theirs.id, {line("x", "1", "1")})), "customer_id",
                     "is not one of your customers");
  auto in = input(mine.id, {line("x", "1", "1")});
  in.contact_id = std::to_string(their_contact.id);
  EXPECT_FIELD_ERROR(s.create(company_a_, in), "contact_id", "is not one of your contacts");
  in.contact_id = std::to_string(foreign_contact.id);
  EXPECT_FIELD_ERROR(s.create(company_a_, in), "contact_id", "belongs to another customer");
  in.contact_id = "";
  in.lines[0].product_id = std::to_string(their_product.id);
  EXPECT_FIELD_ERROR(s.create(company_a_, in), "lines[0].product_id", "is not one of your products");

  auto theirs_inv = invoice(company_b_, theirs.id, {line("x", "1", "1")});
  EXPECT_ERROR_CODE(s.get(company_a_, theirs_inv.id), "record.not_found");
  EXPECT_ERROR_CODE(s.update(company_a_, theirs_inv.id, 1, input(mine.id, {line("x", "1", "1")})), "record.not_found");
  EXPECT_ERROR_CODE(s.change_status(company_a_, theirs_inv.id, 1, "sent"), "record.not_found");
  EXPECT_ERROR_CODE(s.archive(company_a_, theirs_inv.id, 1), "record.not_found");
  EXPECT_EQ(s.get(company_b_, theirs_inv.id)->status, InvoiceStatus::draft);
}

TEST_P(InvoiceTest, LineDefaultsFromProduct) {
  InvoiceService s(db(), clock_, sink_);
  auto c = customer(company_a_, "C");
  auto p = product(company_a_, "Hosting", "19.99", "5.5");
  auto from_product = line("", "3", "");
  from_product.product_id = std::to_string(p.id);
  auto overridden = line("Hosting (discounted)", "1", "10", "0");
  overridden.product_id = std::to_string(p.id);
  auto i = s.create(company_a_, input(c.id, {from_product, overridden}));
  ASSERT_OK(i);
  EXPECT_EQ(i->lines[0].description, "Hosting");
  EXPECT_EQ(i->lines[0].unit_price_cents, 1999);
  EXPECT_EQ(i->lines[0].tax_rate_bp, 550);
  EXPECT_EQ(i->lines[0].product_id, p.id);
  EXPECT_EQ(i->lines[0].net_cents, 5997);
  EXPECT_EQ(i->lines[0].tax_cents, 330);  // 59.97 × 5.5% = 3.29835 → 3.30
  EXPECT_EQ(i->lines[1].description, "Hosting (discounted)");
  EXPECT_EQ(i->lines[1].unit_price_cents, 1000);
  EXPECT_EQ(i->lines[1].tax_rate_bp, 0);
  EXPECT_EQ(i->total_cents, 5997 + 330 + 1000);
}

TEST_P(InvoiceTest, TotalsExactInCents) {
  InvoiceService s(db(), clock_, sink_);
  auto c = customer(company_a_, "C");
  // Three lines of 0.333 × 10.00 = 3.33 each: 9.99, not 10.00; 1/3-style tax rounding per line.
  auto i = s.create(company_a_, input(c.id, {line("a", "0.333", "10", "20"), line("b", "0.333", "10", "20"),
                                             line("c", "0.333", "10", "20")}));
  ASSERT_OK(i);
  EXPECT_EQ(i->net_cents, 999);
  EXPECT_EQ(i->tax_cents, 3 * 67);  // 3.33 × 20% = 0.666 → 0.67 per line
  EXPECT_EQ(i->total_cents, 999 + 201);
  // Half away from zero, and a negative discount line.
  auto d = s.create(company_a_, input(c.id, {line("item", "1", "0.05", "10"), line("discount", "1", "-0.05", "10"),
                                             line("half", "0.5", "0.01")}));
  ASSERT_OK(d);
  EXPECT_EQ(d->lines[0].tax_cents, 1);    // 0.005 → 0.01
  EXPECT_EQ(d->lines[1].tax_cents, -1);   // -0.005 → -0.01
  EXPECT_EQ(d->lines[2].net_cents, 1);    // 0.005 → 0.01
  EXPECT_EQ(d->net_cents, 1);
  EXPECT_EQ(d->tax_cents, 0);
  EXPECT_EQ(d->total_cents, 1);
  // Large but representable: 1,000,000 × 1,000,000,000.00 = 1e15 units = 1e17 cents, plus 100% tax.
  auto big = s.create(company_a_, input(c.id, {line("big", "1000000", "1000000000", "100")}));
  ASSERT_OK(big);
  EXPECT_EQ(big->total_cents, 200'000'000'000'000'000);
  EXPECT_EQ(format_money(big->total_cents), "2,000,000,000,000,000.00");
  // A line beyond int64 and a sum beyond int64 are refused, not wrapped.
  EXPECT_FIELD_ERROR(s.create(company_a_, input(c.id, {line("huge", "1000000000", "1000000000")})), "lines[0].unit_price",
                     "makes the line amount too large");
  std::vector<InvoiceLineInput> lines(50, line("many", "1000000", "1000000000", "100"));
  EXPECT_FIELD_ERROR(s.create(company_a_, input(c.id, lines)), "lines", "make the invoice total too large");
}

TEST_P(InvoiceTest, SavingReplacesLinesAndRecomputes) {
  InvoiceService s(db(), clock_, sink_);
  auto c = customer(company_a_, "C");
  auto i = invoice(company_a_, c.id, {line("a", "1", "10"), line("b", "1", "20")});
  EXPECT_EQ(i.total_cents, 3000);
  auto in = input(c.id, {line("only", "4", "2.50", "10")});
  in.notes = "revised";
  auto u = s.update(company_a_, i.id, i.version, in);
  ASSERT_OK(u);
  EXPECT_EQ(u->version, 2);
  ASSERT_EQ(u->lines.size(), 1u);
  EXPECT_EQ(u->total_cents, 1100);
  EXPECT_EQ(u->notes, "revised");
  EXPECT_EQ(u->number, i.number);
  auto stale = s.update(company_a_, i.id, i.version, in);
  EXPECT_ERROR_CODE(stale, "record.stale");
  EXPECT_EQ(stale.error().message,
            "this invoice was changed by someone else since you opened it; reload to see their changes");
  // A failing update leaves the old lines in place.
  EXPECT_FIELD_ERROR(s.update(company_a_, i.id, 2, input(c.id, {line("bad", "x", "1")})), "lines[0].quantity",
                     "must be a number like 1.5");
  EXPECT_EQ(s.get(company_a_, i.id)->lines.size(), 1u);
}

TEST_P(InvoiceTest, StatusTransitions) {
  InvoiceService s(db(), clock_, sink_);
  auto c = customer(company_a_, "C");
  auto i = invoice(company_a_, c.id, {line("a", "1", "10")});
  EXPECT_FIELD_ERROR(s.change_status(company_a_, i.id, 1, "paid"), "status", "cannot change from draft to paid");
  EXPECT_FIELD_ERROR(s.change_status(company_a_, i.id, 1, "bogus"), "status", "must be one of draft, sent, paid, void");
  auto sent = s.change_status(company_a_, i.id, 1, "sent");
  ASSERT_OK(sent);
  EXPECT_EQ(sent->status, InvoiceStatus::sent);
  EXPECT_FIELD_ERROR(s.update(company_a_, i.id, sent->version, input(c.id, {line("a", "2", "10")})), "status",
                     "only draft invoices can be edited; this one is sent");
  EXPECT_FIELD_ERROR(s.change_status(company_a_, i.id, sent->version, "draft"), "status",
                     "cannot change from sent to draft");
  auto paid = s.change_status(company_a_, i.id, sent->version, "paid");
  ASSERT_OK(paid);
  EXPECT_FIELD_ERROR(s.change_status(company_a_, i.id, paid->version, "void"), "status", "cannot change from paid to void");
  EXPECT_ERROR_CODE(s.change_status(company_a_, i.id, sent->version, "void"), "record.stale");

  auto d = invoice(company_a_, c.id, {line("a", "1", "10")});
  auto v = s.change_status(company_a_, d.id, 1, "void");
  ASSERT_OK(v);
  EXPECT_FIELD_ERROR(s.change_status(company_a_, d.id, v->version, "sent"), "status", "cannot change from void to sent");
  auto e = invoice(company_a_, c.id, {line("a", "1", "10")});
  auto es = s.change_status(company_a_, e.id, 1, "sent");
  ASSERT_OK(es);
  ASSERT_OK(s.change_status(company_a_, e.id, es->version, "void"));
  EXPECT_TRUE(can_transition(InvoiceStatus::draft, InvoiceStatus::sent));
  EXPECT_FALSE(can_transition(InvoiceStatus::void_, InvoiceStatus::draft));
}

TEST_P(InvoiceTest, NumbersSequentialAndUniqueUnderConcurrentCreates) {
  auto c = customer(company_a_, "C");
  auto cb = customer(company_b_, "CB");
  constexpr int kThreads = 6, kEach = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      InvoiceService s(db(), clock_, sink_);
      const int64_t company = t % 2 ? company_b_ : company_a_;
      const int64_t cust = t % 2 ? cb.id : c.id;
      for (int n = 0; n < kEach; ++n) {
        InvoiceInput in;
        in.customer_id = std::to_string(cust);
        in.lines = {line("x", "1", "1")};
        auto r = s.create(company, in);
        if (!r.ok()) {
          ADD_FAILURE() << r.error().code << ": " << r.error().message;
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int64_t company : {company_a_, company_b_}) {
    InvoiceService s(db(), clock_, sink_);
    ListQuery q;
    q.per_page = 100;
    auto page = s.list(company, q);
    ASSERT_OK(page);
    ASSERT_EQ(page->total, kThreads / 2 * kEach);
    for (size_t k = 0; k < page->items.size(); ++k) {
      char want[32];
      std::snprintf(want, sizeof want, "INV-%05zu", k + 1);
      EXPECT_EQ(page->items[k].number, want);
    }
  }
}

TALLY_INSTANTIATE_DATABASE_TESTS(InvoiceTest);
