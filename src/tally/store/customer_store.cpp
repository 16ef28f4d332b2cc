// See customer_store.hpp.
#include "tally/store/customer_store.hpp"

#include "tally/store/list_query_sql.hpp"
#include "tally/store/record_counts.hpp"

namespace tally::store {

namespace {

constexpr const char* kColumns =
    "id, company_id, name, code, email, phone, website, billing_line1, billing_line2, billing_city, billing_postcode,"
    " billing_region, billing_country, shipping_line1, shipping_line2, shipping_city, shipping_postcode,"
    " shipping_region, shipping_country, notes, created_at, updated_at, archived_at, version";

Customer from_row(const mno::db::Row& r) {
  Customer x;
  x.id = r.i64(0);
  x.company_id = r.i64(1);
  x.name = r.text(2);
  x.code = r.opt_text(3).value_or("");
  x.email = r.text(4);
  x.phone = r.text(5);
  x.website = r.text(6);
  x.billing = {r.text(7), r.text(8), r.text(9), r.text(10), r.text(11), r.text(12)};
  x.shipping = {r.text(13), r.text(14), r.text(15), r.text(16), r.text(17), r.text(18)};
  x.notes = r.text(19);
  x.created_at = r.text(20);
  x.updated_at = r.text(21);
  x.archived_at = r.opt_text(22);
  x.version = r.i64(23);
  return x;
}

mno::db::Value code_value(const std::string& code) { return code.empty() ? mno::db::Value() : mno::db::Value(code); }

}  // namespace

mno::Result<std::optional<Customer>> find_customer(mno::db::Connection& c, int64_t company_id, int64_t id,
                                                   bool for_update) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM customers WHERE id = $1 AND company_id = $2" +
                             std::string(for_update ? mno::db::for_update(c.dialect()) : ""),
                         {id, company_id});
  if (!row) return row.error();
  if (!*row) return std::optional<Customer>{};
  return std::optional<Customer>{from_row(**row)};
}

mno::Result<int64_t> insert_customer(mno::db::Connection& c, const Customer& x) {
  auto row = c.query_one(
      "INSERT INTO customers (company_id, name, code, email, phone, website, billing_line1, billing_line2,"
      " billing_city, billing_postcode, billing_region, billing_country, shipping_line1, shipping_line2,"
      " shipping_city, shipping_postcode, shipping_region, shipping_country, notes, created_at, updated_at, version)"
      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$20,1) RETURNING id",
      {x.company_id, x.name, code_value(x.code), x.email, x.phone, x.website, x.billing.line1, x.billing.line2,
       x.billing.city, x.billing.postcode, x.billing.region, x.billing.country, x.shipping.line1, x.shipping.line2,
       x.shipping.city, x.shipping.postcode, x.shipping.region, x.shipping.country, x.notes, x.created_at});
  if (!row) return row.error();
  return (*row)->i64(0);
}

mno::Result<int64_t> update_customer(mno::db::Connection& c, const Customer& x, int64_t expected_version) {
  return c.execute(
      "UPDATE customers SET name=$1, code=$2, email=$3, phone=$4, website=$5, billing_line1=$6, billing_line2=$7,"
      " billing_city=$8, billing_postcode=$9, billing_region=$10, billing_country=$11, shipping_line1=$12,"
      " shipping_line2=$13, shipping_city=$14, shipping_postcode=$15, shipping_region=$16, shipping_country=$17,"
      " notes=$18, updated_at=$19, version = version + 1 WHERE id=$20 AND company_id=$21 AND version=$22",
      {x.name, code_value(x.code), x.email, x.phone, x.website, x.billing.line1, x.billing.line2, x.billing.city,
       x.billing.postcode, x.billing.region, x.billing.country, x.shipping.line1, x.shipping.line2, x.shipping.city,
       x.shipping.postcode, x.shipping.region, x.shipping.country, x.notes, x.updated_at, x.id, x.company_id,
       expected_version});
}

mno::Result<bool> customer_code_taken(mno::db::Connection& c, int64_t company_id, const std::string& code,
                                      int64_t exclude_id) {
  auto row = c.query_one(
      "SELECT 1 FROM customers WHERE company_id = $1 AND code = $2 AND archived_at IS NULL AND id <> $3",
      {company_id, code, exclude_id});
  if (!row) return row.error();
  return row->has_value();
}

mno::Result<Page<Customer>> list_customers(mno::db::Connection& c, int64_t company_id, const ListQuery& q) {
  auto order = order_by_clause(q,
                               {{"name", "lower(name)"},
                                {"code", "code"},
                                {"email", "email"},
                                {"created_at", "created_at"},
                                {"updated_at", "updated_at"}},
                               "id");
  if (!order) return order.error();
  std::string where = " WHERE company_id = $1";
  std::vector<mno::db::Value> params{company_id};
  if (!q.include_archived) where += " AND archived_at IS NULL";
  if (!q.search.empty()) {
    params.emplace_back(like_pattern(q.search));
    where += " AND " + search_condition({"name", "code", "email"}, static_cast<int>(params.size()));
  }
  auto count = q.search.empty() ? counted_records(c, company_id, "customers", q.include_archived)
                                : count_query(c, "SELECT COUNT(*) FROM customers" + where, params);
  if (!count) return count.error();
  auto rows = c.query(std::string("SELECT ") + kColumns + " FROM customers" + where + *order + limit_clause(q), params);
  if (!rows) return rows.error();
  Page<Customer> page;
  page.total = *count;
  page.page = q.page;
  page.per_page = q.per_page;
  for (const auto& r : *rows) page.items.push_back(from_row(r));
  return page;
}

}  // namespace tally::store
