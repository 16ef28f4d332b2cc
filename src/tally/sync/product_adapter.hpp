// Products <-> Connec! items. Field mapping in docs/data-sharing.md.
#pragma once
#include "mno/sync/adapter.hpp"
#include "tally/domain/product.hpp"

namespace tally::sync {

class ProductAdapter final : public mno::sync::EntityAdapter {
 public:
  explicit ProductAdapter(ProductService& products) : products_(products) {}
  std::string entity() const override { return "product"; }
  std::string collection() const override { return "items"; }
  mno::Result<nlohmann::json> to_connec(mno::sync::OutboundContext& context, const mno::sync::OutboxItem& item) override;
  mno::Result<std::string> from_connec(mno::db::Connection& c, const mno::sync::InboundChange& change) override;

 private:
  ProductService& products_;
};

}  // namespace tally::sync
