// The per-company counts behind list totals (store/record_counts.*) on both backends: they follow
// creates, archives, status changes and raw deletes (the retention purge), and a list's total always
// equals a real COUNT(*), with and without filters.
#include "unit/records/records_fixture.hpp"

#include "tally/store/record_counts.hpp"

using namespace tally;
using records_test::line;

class RecordCountsTest : public records_test::RecordsTest {
 protected:
  int64_t counted(int64_t company, const char* table, bool archived = false, std::optional<std::string> status = {}) {
    int64_t n = -1;
    auto s = db().transaction(
        [&](mno::db::Connection& c) -> mno::Status {
          auto r = store::counted_records(c, company, table, archived, status);
          if (!r) return r.error();
          n = *r;
          return {};
        },
        mno::db::TxKind::read);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return n;
  }
  int64_t real(const std::string& sql, std::vector<mno::db::Value> params) {
    auto rows = db().query(sql, params);
    EXPECT_TRUE(rows.ok());
    return rows.ok() && rows->size() == 1 ? (*rows)[0].i64(0) : -1;
  }
};

TEST_P(RecordCountsTest, FollowCreatesArchivesStatusChangesAndDeletes) {
  InvoiceService invoices(db(), clock_, sink_);
  CustomerService customers(db(), clock_, sink_);
  auto c1 = customer(company_a_, "Acme");
  auto c2 = customer(company_a_, "Beta");
  customer(company_b_, "Other company");
  contact(company_a_, "Ada", "Lovelace", c1.id);
  product(company_a_, "Widget", "10");
  auto i1 = invoice(company_a_, c1.id, {line("One", "1", "10")});
  auto i2 = invoice(company_a_, c1.id, {line("Two", "2", "10")});
  invoice(company_a_, c2.id, {line("Three", "3", "10")});

  EXPECT_EQ(counted(company_a_, "customers"), 2);
  EXPECT_EQ(counted(company_b_, "customers"), 1);
  EXPECT_EQ(counted(company_a_, "contacts"), 1);
  EXPECT_EQ(counted(company_a_, "products"), 1);
  EXPECT_EQ(counted(company_a_, "invoices"), 3);
  EXPECT_EQ(counted(company_a_, "invoices", false, "draft"), 3);

  auto sent = invoices.change_status(company_a_, i1.id, i1.version, "sent");
  ASSERT_OK(sent);
  EXPECT_EQ(counted(company_a_, "invoices", false, "draft"), 2);
  EXPECT_EQ(counted(company_a_, "invoices", false, "sent"), 1);
  EXPECT_EQ(counted(company_a_, "invoices"), 3);

  ASSERT_OK(invoices.archive(company_a_, i2.id, i2.version));
  EXPECT_EQ(counted(company_a_, "invoices"), 2);
  EXPECT_EQ(counted(company_a_, "invoices", true), 3);

  auto fresh_c2 = customers.get(company_a_, c2.id);
  ASSERT_OK(fresh_c2);
  // c2 still has an open invoice: archiving is refused and the count must not move.
  EXPECT_FALSE(customers.archive(company_a_, c2.id, fresh_c2->version).ok());
  EXPECT_EQ(counted(company_a_, "customers"), 2);

  // A raw delete (what the retention purge does) is followed too.
  ASSERT_OK(db().transaction([&](mno::db::Connection& c) -> mno::Status {
    for (const char* t : {"invoice_lines", "invoices"}) {
      auto n = c.execute(std::string("DELETE FROM ") + t + " WHERE company_id = $1", {company_a_});
      if (!n) return n.error();
    }
    return {};
  }));
  EXPECT_EQ(counted(company_a_, "invoices", true), 0);
  EXPECT_EQ(counted(company_b_, "customers"), 1);
}

TEST_P(RecordCountsTest, ListTotalsMatchARealCountWithAndWithoutFilters) {
  InvoiceService invoices(db(), clock_, sink_);
  auto c1 = customer(company_a_, "Acme");
  auto c2 = customer(company_a_, "Beta");
  for (int n = 0; n < 5; ++n) invoice(company_a_, n % 2 ? c1.id : c2.id, {line("L", "1", "5")});
  auto first = invoices.list(company_a_, ListQuery{});
  ASSERT_OK(first);
  ASSERT_OK(invoices.archive(company_a_, first->items[0].id, first->items[0].version));

  InvoiceListQuery q;
  auto all = invoices.list(company_a_, q);
  ASSERT_OK(all);
  EXPECT_EQ(all->total, real("SELECT COUNT(*) FROM invoices WHERE company_id = $1 AND archived_at IS NULL", {company_a_}));
  q.include_archived = true;
  EXPECT_EQ(invoices.list(company_a_, q)->total, 5);
  q.include_archived = false;
  q.customer_id = c1.id;
  EXPECT_EQ(invoices.list(company_a_, q)->total,
            real("SELECT COUNT(*) FROM invoices WHERE company_id = $1 AND customer_id = $2 AND archived_at IS NULL",
                 {company_a_, c1.id}));
  q.customer_id.reset();
  q.status = "paid";
  EXPECT_EQ(invoices.list(company_a_, q)->total, 0);
  q.status.clear();
  q.search = "beta";
  EXPECT_EQ(invoices.list(company_a_, q)->total,
            real("SELECT COUNT(*) FROM invoices WHERE company_id = $1 AND customer_id = $2 AND archived_at IS NULL",
                 {company_a_, c2.id}));
}

TALLY_INSTANTIATE_DATABASE_TESTS(RecordCountsTest);
