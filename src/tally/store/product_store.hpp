// SQL for the products table. Only ProductService and InvoiceService (line defaults) call these;
// every statement is scoped by company_id.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/product.hpp"

namespace tally::store {

mno::Result<std::optional<Product>> find_product(mno::db::Connection& c, int64_t company_id, int64_t id);
mno::Result<int64_t> insert_product(mno::db::Connection& c, const Product& x);
mno::Result<int64_t> update_product(mno::db::Connection& c, const Product& x, int64_t expected_version);
mno::Result<bool> product_code_taken(mno::db::Connection& c, int64_t company_id, const std::string& code,
                                     int64_t exclude_id);
mno::Result<Page<Product>> list_products(mno::db::Connection& c, int64_t company_id, const ListQuery& q);

}  // namespace tally::store
