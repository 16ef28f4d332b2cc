// Invoices with their lines <-> Connec! invoices of type CUSTOMER: organization_id (the customer) and person_id
// (the contact) are record references, each line carries its own id array and an item_id reference (the
// product). Field and status mapping in docs/data-sharing.md.
#pragma once
#include <string>

#include "mno/sync/adapter.hpp"
#include "tally/domain/invoice.hpp"

namespace tally::sync {

class InvoiceAdapter final : public mno::sync::EntityAdapter {
 public:
  explicit InvoiceAdapter(InvoiceService& invoices) : invoices_(invoices) {}
  std::string entity() const override { return "invoice"; }
  std::string collection() const override { return "invoices"; }
  mno::Result<nlohmann::json> to_connec(mno::sync::OutboundContext& context, const mno::sync::OutboxItem& item) override;
  mno::Result<std::string> from_connec(mno::db::Connection& c, const mno::sync::InboundChange& change) override;

  // Tally's own id of an invoice line in Connec! ("<invoice id>-<line number>"): stable across edits, which
  // replace the line rows, so Connec! updates its lines instead of adding new ones.
  static std::string line_external_id(int64_t invoice_id, int position);
  // draft -> DRAFT, sent -> AUTHORISED, paid -> PAID, void -> VOIDED; and back (SUBMITTED also reads as sent).
  static std::string connec_status(InvoiceStatus s);
  static std::optional<InvoiceStatus> status_from_connec(std::string_view s);

 private:
  InvoiceService& invoices_;
};

}  // namespace tally::sync
