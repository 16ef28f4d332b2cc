// Products: what a company sells, with a sale price and tax rate that invoice lines copy as their
// defaults. ProductService is the one place where products are created, changed and archived;
// each change emits one ChangeEvent (entity "product") in the same transaction.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/list_query.hpp"

namespace tally {

struct ProductInput {
  std::string name;         // required, ≤ 200
  std::string code;         // SKU, optional, unique per company among non-archived products, ≤ 50
  std::string description;
  std::string sale_price;   // money text ("1,234.50"); "" = 0; |price| ≤ kMaxUnitPriceCents
  std::string tax_rate;     // percent text ("20", "5.5"); "" = 0
  std::string unit;         // "hour", "item", ...; ≤ 30
};

struct Product {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string name, code, description;
  int64_t sale_price_cents = 0;
  int64_t tax_rate_bp = 0;  // basis points
  std::string unit;
  std::string created_at, updated_at;
  std::optional<std::string> archived_at;
  int64_t version = 1;
  bool archived() const { return archived_at.has_value(); }
};

// Sort whitelist: "name" (default), "code", "price", "created_at", "updated_at". Search: name, code, description.
class ProductService {
 public:
  ProductService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink);

  mno::Result<Product> create(int64_t company_id, const ProductInput& in, ChangeOrigin origin = ChangeOrigin::local);
  mno::Result<Product> update(int64_t company_id, int64_t id, int64_t expected_version, const ProductInput& in,
                              ChangeOrigin origin = ChangeOrigin::local);
  mno::Result<Product> get(int64_t company_id, int64_t id);
  mno::Result<Page<Product>> list(int64_t company_id, const ListQuery& q);
  // Always allowed: invoice lines keep their own description, price and tax rate.
  mno::Result<Product> archive(int64_t company_id, int64_t id, int64_t expected_version,
                               ChangeOrigin origin = ChangeOrigin::local);

  // The same changes inside the caller's transaction (the sync engine applies Connec! data on its own
  // connection, with ChangeOrigin::connec, together with its id-map and inbox bookkeeping).
  mno::Result<Product> create(mno::db::Connection& c, int64_t company_id, const ProductInput& in, ChangeOrigin origin);
  mno::Result<Product> update(mno::db::Connection& c, int64_t company_id, int64_t id, int64_t expected_version,
                              const ProductInput& in, ChangeOrigin origin);
  mno::Result<Product> archive(mno::db::Connection& c, int64_t company_id, int64_t id, int64_t expected_version,
                               ChangeOrigin origin);

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  ChangeSink& sink_;
};

}  // namespace tally
