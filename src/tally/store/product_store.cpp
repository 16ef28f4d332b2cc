// See product_store.hpp.
#include "tally/store/product_store.hpp"

#include "tally/store/list_query_sql.hpp"
#include "tally/store/record_counts.hpp"

namespace tally::store {

namespace {

constexpr const char* kColumns =
    "id, company_id, name, code, description, sale_price_cents, tax_rate_bp, unit, created_at, updated_at,"
    " archived_at, version";

Product from_row(const mno::db::Row& r) {
  Product x;
  x.id = r.i64(0);
  x.company_id = r.i64(1);
  x.name = r.text(2);
  x.code = r.opt_text(3).value_or("");
  x.description = r.text(4);
  x.sale_price_cents = r.i64(5);
  x.tax_rate_bp = r.i64(6);
  x.unit = r.text(7);
  x.created_at = r.text(8);
  x.updated_at = r.text(9);
  x.archived_at = r.opt_text(10);
  x.version = r.i64(11);
  return x;
}

mno::db::Value code_value(const std::string& code) { return code.empty() ? mno::db::Value() : mno::db::Value(code); }

}  // namespace

mno::Result<std::optional<Product>> find_product(mno::db::Connection& c, int64_t company_id, int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM products WHERE id = $1 AND company_id = $2",
                         {id, company_id});
  if (!row) return row.error();
  if (!*row) return std::optional<Product>{};
  return std::optional<Product>{from_row(**row)};
}

mno::Result<int64_t> insert_product(mno::db::Connection& c, const Product& x) {
  auto row = c.query_one(
      "INSERT INTO products (company_id, name, code, description, sale_price_cents, tax_rate_bp, unit, created_at,"
      " updated_at, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8,1) RETURNING id",
      {x.company_id, x.name, code_value(x.code), x.description, x.sale_price_cents, x.tax_rate_bp, x.unit,
       x.created_at});
  if (!row) return row.error();
  return (*row)->i64(0);
}

mno::Result<int64_t> update_product(mno::db::Connection& c, const Product& x, int64_t expected_version) {
  return c.execute(
      "UPDATE products SET name=$1, code=$2, description=$3, sale_price_cents=$4, tax_rate_bp=$5, unit=$6,"
      " updated_at=$7, version = version + 1 WHERE id=$8 AND company_id=$9 AND version=$10",
      {x.name, code_value(x.code), x.description, x.sale_price_cents, x.tax_rate_bp, x.unit, x.updated_at, x.id,
       x.company_id, expected_version});
}

mno::Result<bool> product_code_taken(mno::db::Connection& c, int64_t company_id, const std::string& code,
                                     int64_t exclude_id) {
  auto row = c.query_one(
      "SELECT 1 FROM products WHERE company_id = $1 AND code = $2 AND archived_at IS NULL AND id <> $3",
      {company_id, code, exclude_id});
  if (!row) return row.error();
  return row->has_value();
}

mno::Result<Page<Product>> list_products(mno::db::Connection& c, int64_t company_id, const ListQuery& q) {
  auto order = order_by_clause(q,
                               {{"name", "lower(name)"},
                                {"code", "code"},
                                {"price", "sale_price_cents"},
                                {"created_at", "created_at"},
                                {"updated_at", "updated_at"}},
                               "id");
  if (!order) return order.error();
  std::string where = " WHERE company_id = $1";
  std::vector<mno::db::Value> params{company_id};
  if (!q.include_archived) where += " AND archived_at IS NULL";
  if (!q.search.empty()) {
    params.emplace_back(like_pattern(q.search));
    where += " AND " + search_condition({"name", "code", "description"}, static_cast<int>(params.size()));
  }
  auto count = q.search.empty() ? counted_records(c, company_id, "products", q.include_archived)
                                : count_query(c, "SELECT COUNT(*) FROM products" + where, params);
  if (!count) return count.error();
  auto rows = c.query(std::string("SELECT ") + kColumns + " FROM products" + where + *order + limit_clause(q), params);
  if (!rows) return rows.error();
  Page<Product> page;
  page.total = *count;
  page.page = q.page;
  page.per_page = q.per_page;
  for (const auto& r : *rows) page.items.push_back(from_row(r));
  return page;
}

}  // namespace tally::store
