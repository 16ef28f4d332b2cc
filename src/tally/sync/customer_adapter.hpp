// Customers <-> Connec! organizations (is_customer: true). Field mapping in docs/data-sharing.md.
#pragma once
#include "mno/sync/adapter.hpp"
#include "tally/domain/customer.hpp"

namespace tally::sync {

class CustomerAdapter final : public mno::sync::EntityAdapter {
 public:
  explicit CustomerAdapter(CustomerService& customers) : customers_(customers) {}
  std::string entity() const override { return "customer"; }
  std::string collection() const override { return "organizations"; }
  mno::Result<nlohmann::json> to_connec(mno::sync::OutboundContext& context, const mno::sync::OutboxItem& item) override;
  mno::Result<std::string> from_connec(mno::db::Connection& c, const mno::sync::InboundChange& change) override;

  // The Connec! record of a customer (no id, no references: organizations have none). Exposed for the import.
  static nlohmann::json to_record(const Customer& x);
  // The input an inbound organization gives (validated later by CustomerService).
  static CustomerInput to_input(const nlohmann::json& record);

 private:
  CustomerService& customers_;
};

}  // namespace tally::sync
