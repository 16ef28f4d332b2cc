// See records_fixture.hpp.
#include "unit/records/records_fixture.hpp"

#include "mno/util/iso8601.hpp"

namespace records_test {

void RecordsTest::SetUp() {
  testenv::DatabaseTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  ASSERT_OK(mno::db::migrate(db(), tally::schema_migrations()));
  ASSERT_OK(db().execute(
      "CREATE TABLE test_events (n " + std::string(mno::db::autoincrement_primary_key(db().dialect())) + ", company_id BIGINT, entity TEXT, record_id BIGINT, kind TEXT,"
      " version BIGINT, origin TEXT)"));
  company_a_ = add_company("Acme", "EUR");
  company_b_ = add_company("Other Co", "USD");
}

int64_t RecordsTest::add_company(const std::string& name, const std::string& currency) {
  const std::string now = mno::format_iso8601(clock_.now());
  auto id = db().transact([&](mno::db::Connection& c) -> mno::Result<int64_t> {
    auto row = c.query_one(
        "INSERT INTO companies (name, currency, timezone, country, status, created_at, updated_at)"
        " VALUES ($1, $2, 'UTC', 'FR', 'active', $3, $3) RETURNING id",
        {name, currency, now});
    if (!row) return row.error();
    return (*row)->i64(0);
  });
  EXPECT_TRUE(id.ok()) << id.error().message;
  return id.value_or(0);
}

std::vector<RecordedEvent> RecordsTest::events() {
  std::vector<RecordedEvent> out;
  auto rows = db().query("SELECT company_id, entity, record_id, kind, version, origin FROM test_events ORDER BY n");
  EXPECT_TRUE(rows.ok());
  if (!rows) return out;
  for (const auto& r : *rows)
    out.push_back({r.i64(0), r.text(1), r.i64(2), r.text(3), r.i64(4), r.text(5)});
  return out;
}

tally::Customer RecordsTest::customer(int64_t company, const std::string& name, const std::string& code) {
  tally::CustomerService s(db(), clock_, sink_);
  tally::CustomerInput in;
  in.name = name;
  in.code = code;
  auto r = s.create(company, in);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.value_or({});
}

tally::Contact RecordsTest::contact(int64_t company, const std::string& first, const std::string& last,
                                    std::optional<int64_t> customer_id) {
  tally::ContactService s(db(), clock_, sink_);
  tally::ContactInput in;
  in.first_name = first;
  in.last_name = last;
  if (customer_id) in.customer_id = std::to_string(*customer_id);
  auto r = s.create(company, in);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.value_or({});
}

tally::Product RecordsTest::product(int64_t company, const std::string& name, const std::string& price,
                                    const std::string& tax) {
  tally::ProductService s(db(), clock_, sink_);
  tally::ProductInput in;
  in.name = name;
  in.sale_price = price;
  in.tax_rate = tax;
  auto r = s.create(company, in);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.value_or({});
}

tally::Invoice RecordsTest::invoice(int64_t company, int64_t customer_id, std::vector<tally::InvoiceLineInput> lines,
                                    const std::string& issue_date) {
  tally::InvoiceService s(db(), clock_, sink_);
  tally::InvoiceInput in;
  in.customer_id = std::to_string(customer_id);
  in.issue_date = issue_date;
  in.lines = std::move(lines);
  auto r = s.create(company, in);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.value_or({});
}

tally::InvoiceLineInput line(const std::string& description, const std::string& quantity,
                             const std::string& unit_price, const std::string& tax_rate) {
  tally::InvoiceLineInput l;
  l.description = description;
  l.quantity = quantity;
  l.unit_price = unit_price;
  l.tax_rate = tax_rate;
  return l;
}

}  // namespace records_test
