// Contacts <-> Connec! people; the contact's customer is the person's organization_id reference. Field mapping
// in docs/data-sharing.md.
#pragma once
#include "mno/sync/adapter.hpp"
#include "tally/domain/contact.hpp"

namespace tally::sync {

class ContactAdapter final : public mno::sync::EntityAdapter {
 public:
  explicit ContactAdapter(ContactService& contacts) : contacts_(contacts) {}
  std::string entity() const override { return "contact"; }
  std::string collection() const override { return "people"; }
  mno::Result<nlohmann::json> to_connec(mno::sync::OutboundContext& context, const mno::sync::OutboxItem& item) override;
  mno::Result<std::string> from_connec(mno::db::Connection& c, const mno::sync::InboundChange& change) override;

 private:
  ContactService& contacts_;
};

}  // namespace tally::sync
