// ProductService (product.hpp): validation of ProductInput (money and percent parsing), and each
// change with its ChangeEvent in one transaction.
#include "tally/domain/contact_fields.hpp"
#include "tally/domain/money.hpp"
#include "tally/domain/product.hpp"
#include "tally/store/list_query_sql.hpp"
#include "tally/store/product_store.hpp"

namespace tally {

namespace {

constexpr const char* kEntity = "product";

Product validate(const ProductInput& in, FieldErrors& errors) {
  Product x;
  x.name = trimmed(in.name);
  if (x.name.empty()) errors.add("name", "is required");
  check_length(errors, "name", x.name, 200);
  x.code = trimmed(in.code);
  check_length(errors, "code", x.code, 50);
  x.description = in.description;
  check_length(errors, "description", x.description, 5000);
  if (!trimmed(in.sale_price).empty()) {
    auto p = parse_money(in.sale_price);
    if (!p) errors.add("sale_price", p.error().message);
    else if (*p > kMaxUnitPriceCents || *p < -kMaxUnitPriceCents) errors.add("sale_price", "is too large");
    else x.sale_price_cents = *p;
  }
  if (!trimmed(in.tax_rate).empty()) {
    auto t = parse_percent(in.tax_rate);
    if (!t) errors.add("tax_rate", t.error().message);
    else x.tax_rate_bp = *t;
  }
  x.unit = trimmed(in.unit);
  check_length(errors, "unit", x.unit, 30);
  return x;
}

mno::Error code_taken_error() {
  FieldErrors e;
  e.add("code", "is already used by another product");
  return e.to_error();
}

bool is_code_conflict(const mno::Error& e) {
  return e.code == "db.constraint" && e.message.find("products_code") != std::string::npos;
}

}  // namespace

ProductService::ProductService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink)
    : db_(db), clock_(clock), sink_(sink) {}

mno::Result<Product> ProductService::create(int64_t company_id, const ProductInput& in, ChangeOrigin origin) {
  auto r = db_.transact([&](mno::db::Connection& c) { return create(c, company_id, in, origin); });
  if (!r && is_code_conflict(r.error())) return code_taken_error();
  return r;
}

mno::Result<Product> ProductService::create(mno::db::Connection& c, int64_t company_id, const ProductInput& in,
                                            ChangeOrigin origin) {
  FieldErrors errors;
  Product x = validate(in, errors);
  if (!errors.empty()) return errors.to_error();
  x.company_id = company_id;
  x.created_at = x.updated_at = now_text(clock_);
  if (!x.code.empty()) {
    auto taken = store::product_code_taken(c, company_id, x.code, 0);
    if (!taken) return taken.error();
    if (*taken) return code_taken_error();
  }
  auto id = store::insert_product(c, x);
  if (!id) return id.error();
  x.id = *id;
  x.version = 1;
  if (auto s = sink_.on_change(c, {company_id, kEntity, x.id, ChangeKind::created, 1, origin}); !s) return s.error();
  return x;
}

mno::Result<Product> ProductService::update(int64_t company_id, int64_t id, int64_t expected_version,
                                            const ProductInput& in, ChangeOrigin origin) {
  auto r = db_.transact([&](mno::db::Connection& c) { return update(c, company_id, id, expected_version, in, origin); });
  if (!r && is_code_conflict(r.error())) return code_taken_error();
  return r;
}

mno::Result<Product> ProductService::update(mno::db::Connection& c, int64_t company_id, int64_t id,
                                            int64_t expected_version, const ProductInput& in, ChangeOrigin origin) {
  FieldErrors errors;
  Product x = validate(in, errors);
  if (!errors.empty()) return errors.to_error();
  x.id = id;
  x.company_id = company_id;
  x.updated_at = now_text(clock_);
  auto current = store::find_product(c, company_id, id);
  if (!current) return current.error();
  if (!*current) return store::not_found(kEntity);
  if ((*current)->version != expected_version) return store::stale(kEntity);
  if (!x.code.empty() && !(*current)->archived()) {
    auto taken = store::product_code_taken(c, company_id, x.code, id);
    if (!taken) return taken.error();
    if (*taken) return code_taken_error();
  }
  auto n = store::update_product(c, x, expected_version);
  if (!n) return n.error();
  if (auto s = store::check_versioned_write(c, "products", kEntity, company_id, id, *n); !s) return s.error();
  auto out = store::find_product(c, company_id, id);
  if (!out) return out.error();
  if (!*out) return store::not_found(kEntity);
  if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::updated, (*out)->version, origin}); !s)
    return s.error();
  return **out;
}

mno::Result<Product> ProductService::get(int64_t company_id, int64_t id) {
  return db_.transact(
      [&](mno::db::Connection& c) -> mno::Result<Product> {
        auto x = store::find_product(c, company_id, id);
        if (!x) return x.error();
        if (!*x) return store::not_found(kEntity);
        return **x;
      },
      mno::db::TxKind::read);
}

mno::Result<Page<Product>> ProductService::list(int64_t company_id, const ListQuery& q) {
  return db_.transact(
      [&](mno::db::Connection& c) -> mno::Result<Page<Product>> { return store::list_products(c, company_id, q); },
      mno::db::TxKind::read);
}

mno::Result<Product> ProductService::archive(int64_t company_id, int64_t id, int64_t expected_version,
                                             ChangeOrigin origin) {
  return db_.transact([&](mno::db::Connection& c) { return archive(c, company_id, id, expected_version, origin); });
}

mno::Result<Product> ProductService::archive(mno::db::Connection& c, int64_t company_id, int64_t id,
                                             int64_t expected_version, ChangeOrigin origin) {
  const std::string now = now_text(clock_);
  if (auto s = store::archive_row(c, "products", kEntity, company_id, id, expected_version, now); !s) return s.error();
  auto out = store::find_product(c, company_id, id);
  if (!out) return out.error();
  if (!*out) return store::not_found(kEntity);
  if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::archived, (*out)->version, origin}); !s)
    return s.error();
  return **out;
}

}  // namespace tally
