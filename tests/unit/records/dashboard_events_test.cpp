// The dashboard's figures, and the change-event hook: exactly one event per committed change,
// none for a refused or rolled-back one, and a failing sink rolls the change back.
#include "tally/domain/dashboard.hpp"
#include "unit/records/records_fixture.hpp"

using namespace tally;
using records_test::line;

class DashboardEventsTest : public records_test::RecordsTest {};

TEST_P(DashboardEventsTest, Figures) {
  InvoiceService s(db(), clock_, sink_);
  CustomerService cs(db(), clock_, sink_);
  auto c = customer(company_a_, "C");
  auto gone = customer(company_a_, "Gone");
  ASSERT_OK(cs.archive(company_a_, gone.id, 1));
  contact(company_a_, "A", "B");
  product(company_a_, "P", "1");
  customer(company_b_, "Not counted");
  auto sent = invoice(company_a_, c.id, {line("x", "1", "100", "20")}, "2027-01-02");       // 120.00
  auto paid = invoice(company_a_, c.id, {line("x", "1", "50")}, "2027-01-31");              // 50.00
  auto draft = invoice(company_a_, c.id, {line("x", "1", "1000")}, "2027-01-03");           // draft: no
  auto last_month = invoice(company_a_, c.id, {line("x", "1", "7")}, "2026-12-31");         // other month
  auto usd_in = InvoiceInput{};
  usd_in.customer_id = std::to_string(c.id);
  usd_in.currency = "usd";
  usd_in.issue_date = "2027-01-20";
  usd_in.lines = {line("x", "2", "5")};
  auto usd = s.create(company_a_, usd_in);
  ASSERT_OK(usd);
  for (auto* i : {&sent, &paid, &last_month}) {
    auto r = s.change_status(company_a_, i->id, 1, "sent");
    ASSERT_OK(r);
    *i = *r;
  }
  ASSERT_OK(s.change_status(company_a_, paid.id, paid.version, "paid"));
  ASSERT_OK(s.change_status(company_a_, usd->id, 1, "sent"));
  (void)draft;

  Dashboard d(db(), clock_);
  auto f = d.load(company_a_);
  ASSERT_OK(f);
  EXPECT_EQ(f->customers, 1);
  EXPECT_EQ(f->contacts, 1);
  EXPECT_EQ(f->products, 1);
  EXPECT_EQ(f->invoices, 5);
  EXPECT_EQ(f->month, "2027-01");
  ASSERT_EQ(f->latest_invoices.size(), 5u);
  EXPECT_EQ(f->latest_invoices[0].number, "INV-00005");
  EXPECT_EQ(f->latest_invoices[0].customer_name, "C");
  std::vector<CurrencyAmount> want{{"EUR", 17000}, {"USD", 1000}};
  EXPECT_EQ(f->revenue_this_month, want);

  clock_.advance(std::chrono::hours(24 * 20));  // February: nothing issued yet
  auto feb = d.load(company_a_);
  ASSERT_OK(feb);
  EXPECT_EQ(feb->month, "2027-02");
  EXPECT_TRUE(feb->revenue_this_month.empty());
  auto other = d.load(company_b_);
  ASSERT_OK(other);
  EXPECT_EQ(other->customers, 1);
  EXPECT_EQ(other->invoices, 0);
}

TEST_P(DashboardEventsTest, OneEventPerCommittedChange) {
  CustomerService cs(db(), clock_, sink_);
  ContactService ks(db(), clock_, sink_);
  ProductService ps(db(), clock_, sink_);
  InvoiceService is(db(), clock_, sink_);
  CustomerInput cin;
  cin.name = "C";
  auto c = cs.create(company_a_, cin, ChangeOrigin::connec);
  ASSERT_OK(c);
  cin.name = "C2";
  ASSERT_OK(cs.update(company_a_, c->id, 1, cin));
  EXPECT_FALSE(cs.update(company_a_, c->id, 1, cin).ok());  // stale: no event
  ContactInput kin;
  kin.first_name = "K";
  auto k = ks.create(company_a_, kin);
  ASSERT_OK(k);
  ASSERT_OK(ks.archive(company_a_, k->id, 1));
  ProductInput pin;
  pin.name = "P";
  auto p = ps.create(company_a_, pin);
  ASSERT_OK(p);
  InvoiceInput iin;
  iin.customer_id = std::to_string(c->id);
  iin.lines = {line("x", "1", "1")};
  auto i = is.create(company_a_, iin);
  ASSERT_OK(i);
  ASSERT_OK(is.update(company_a_, i->id, 1, iin));
  ASSERT_OK(is.change_status(company_a_, i->id, 2, "sent"));
  EXPECT_FALSE(cs.archive(company_a_, c->id, 2).ok());  // in use: rolled back, no event
  ASSERT_OK(is.archive(company_a_, i->id, 3));

  auto ev = events();
  ASSERT_EQ(ev.size(), 9u);
  auto expect = [&](size_t n, const char* entity, int64_t id, const char* kind, int64_t version) {
    EXPECT_EQ(ev[n].entity, entity) << n;
    EXPECT_EQ(ev[n].record_id, id) << n;
    EXPECT_EQ(ev[n].kind, kind) << n;
    EXPECT_EQ(ev[n].version, version) << n;
    EXPECT_EQ(ev[n].company_id, company_a_) << n;
  };
  expect(0, "customer", c->id, "created", 1);
  EXPECT_EQ(ev[0].origin, "connec");
  EXPECT_EQ(ev[1].origin, "local");
  expect(1, "customer", c->id, "updated", 2);
  expect(2, "contact", k->id, "created", 1);
  expect(3, "contact", k->id, "archived", 2);
  expect(4, "product", p->id, "created", 1);
  expect(5, "invoice", i->id, "created", 1);
  expect(6, "invoice", i->id, "updated", 2);
  expect(7, "invoice", i->id, "updated", 3);
  expect(8, "invoice", i->id, "archived", 4);
}

TEST_P(DashboardEventsTest, FailingSinkRollsTheChangeBack) {
  CustomerService cs(db(), clock_, sink_);
  InvoiceService is(db(), clock_, sink_);
  auto c = customer(company_a_, "Keep");
  auto i = invoice(company_a_, c.id, {line("x", "1", "1")});
  const size_t before = events().size();
  sink_.fail = true;
  CustomerInput cin;
  cin.name = "New";
  EXPECT_ERROR_CODE(cs.create(company_a_, cin), "test.sink_failed");
  cin.name = "Renamed";
  EXPECT_ERROR_CODE(cs.update(company_a_, c.id, 1, cin), "test.sink_failed");
  InvoiceInput iin;
  iin.customer_id = std::to_string(c.id);
  iin.lines = {line("y", "5", "5")};
  EXPECT_ERROR_CODE(is.create(company_a_, iin), "test.sink_failed");
  EXPECT_ERROR_CODE(is.update(company_a_, i.id, 1, iin), "test.sink_failed");
  EXPECT_ERROR_CODE(is.archive(company_a_, i.id, 1), "test.sink_failed");
  sink_.fail = false;
  EXPECT_EQ(events().size(), before);
  EXPECT_EQ(cs.list(company_a_, {})->total, 1);
  EXPECT_EQ(cs.get(company_a_, c.id)->name, "Keep");
  auto kept = is.get(company_a_, i.id);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->version, 1);
  EXPECT_EQ(kept->lines.at(0).description, "x");
  EXPECT_FALSE(kept->archived());
  // The number taken by the rolled-back create was rolled back too: the next one follows on.
  auto next = invoice(company_a_, c.id, {line("z", "1", "1")});
  EXPECT_EQ(next.number, "INV-00002");
}

TALLY_INSTANTIATE_DATABASE_TESTS(DashboardEventsTest);
