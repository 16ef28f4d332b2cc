// Invoices and their lines. InvoiceService is the one place where invoices are created, edited,
// moved through their statuses and archived; each change emits one ChangeEvent (entity "invoice")
// in the same transaction. Totals are computed here, never taken from the client, and kept exact
// in integer cents (see money.hpp for the rounding rule).
//
// Status flow: draft → sent → paid; draft → void; sent → void. paid and void are final. Only a
// draft can be edited (update); the number is assigned on create ("INV-00001", sequential per company).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/list_query.hpp"

namespace tally {

enum class InvoiceStatus { draft, sent, paid, void_ };
std::string_view to_string(InvoiceStatus s);                        // "draft", "sent", "paid", "void"
std::optional<InvoiceStatus> parse_invoice_status(std::string_view s);
bool can_transition(InvoiceStatus from, InvoiceStatus to);

inline constexpr int kMaxInvoiceLines = 200;

struct InvoiceLineInput {
  std::string product_id;   // "" = none; else a non-archived product of the company
  std::string description;  // required unless a product gives it (then defaults to the product name)
  std::string quantity;     // required, > 0, up to 3 decimals
  std::string unit_price;   // money; "" = the product's price (required without a product)
  std::string tax_rate;     // percent; "" = the product's rate, or 0 without a product
};

// Field errors name "customer_id", "contact_id", "issue_date", "due_date", "currency", "notes",
// "lines" (count or total too large) and "lines[i].<field>" with i 0-based.
struct InvoiceInput {
  std::string customer_id;  // required: a non-archived customer of the company
  std::string contact_id;   // optional: a non-archived contact of the company, of that customer if it has one
  std::string issue_date;   // YYYY-MM-DD; "" = today (UTC, from the Clock)
  std::string due_date;     // YYYY-MM-DD ≥ issue date; "" = issue date + 30 days
  std::string currency;     // 3 letters; "" = the company's currency
  std::string notes;
  std::vector<InvoiceLineInput> lines;  // 1..200
};

struct InvoiceLine {
  int64_t id = 0;
  int position = 0;  // 0-based order on the invoice
  std::optional<int64_t> product_id;
  std::string description;
  int64_t quantity_milli = 0;   // thousandths
  int64_t unit_price_cents = 0;
  int64_t tax_rate_bp = 0;      // basis points
  int64_t net_cents = 0;        // computed
  int64_t tax_cents = 0;        // computed
  int64_t total_cents = 0;      // computed
};

struct Invoice {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string number;  // "INV-00001"
  int64_t customer_id = 0;
  std::string customer_name;  // for display
  std::optional<int64_t> contact_id;
  std::string contact_name;   // for display; "" when none
  std::string issue_date, due_date;  // YYYY-MM-DD
  InvoiceStatus status = InvoiceStatus::draft;
  std::string currency;
  std::string notes;
  int64_t net_cents = 0, tax_cents = 0, total_cents = 0;
  int line_count = 0;
  std::vector<InvoiceLine> lines;  // filled by get/create/update/change_status/archive; EMPTY in list results
  std::string created_at, updated_at;
  std::optional<std::string> archived_at;
  int64_t version = 1;
  bool archived() const { return archived_at.has_value(); }
};

struct InvoiceListQuery : ListQuery {
  std::string status;                  // "" = any; else draft/sent/paid/void (field error "status" otherwise)
  std::optional<int64_t> customer_id;  // only this customer's invoices
};

// Sort whitelist: "number" (default), "issue_date", "due_date", "customer", "status", "total",
// "created_at". Search: invoice number, customer name.
class InvoiceService {
 public:
  InvoiceService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink);

  // Creates a draft with the next number of the company.
  mno::Result<Invoice> create(int64_t company_id, const InvoiceInput& in, ChangeOrigin origin = ChangeOrigin::local);
  // Drafts only (else field error on "status"): replaces header fields and all lines, recomputes totals.
  mno::Result<Invoice> update(int64_t company_id, int64_t id, int64_t expected_version, const InvoiceInput& in,
                              ChangeOrigin origin = ChangeOrigin::local);
  // "sent", "paid" or "void" along the allowed transitions (else field error on "status").
  mno::Result<Invoice> change_status(int64_t company_id, int64_t id, int64_t expected_version, std::string_view status,
                                     ChangeOrigin origin = ChangeOrigin::local);
  mno::Result<Invoice> get(int64_t company_id, int64_t id);
  mno::Result<Page<Invoice>> list(int64_t company_id, const InvoiceListQuery& q);
  mno::Result<Page<Invoice>> list(int64_t company_id, const ListQuery& q) { return list(company_id, InvoiceListQuery{q, {}, {}}); }
  // Hides the invoice from lists (any status); it keeps its number.
  mno::Result<Invoice> archive(int64_t company_id, int64_t id, int64_t expected_version,
                               ChangeOrigin origin = ChangeOrigin::local);

  // The same changes inside the caller's transaction (the sync engine applies Connec! data on its own
  // connection, with ChangeOrigin::connec, together with its id-map and inbox bookkeeping).
  mno::Result<Invoice> create(mno::db::Connection& c, int64_t company_id, const InvoiceInput& in, ChangeOrigin origin);
  mno::Result<Invoice> update(mno::db::Connection& c, int64_t company_id, int64_t id, int64_t expected_version,
                              const InvoiceInput& in, ChangeOrigin origin);
  mno::Result<Invoice> change_status(mno::db::Connection& c, int64_t company_id, int64_t id, int64_t expected_version,
                                     std::string_view status, ChangeOrigin origin);
  // Read inside the caller's transaction.
  mno::Result<Invoice> get(mno::db::Connection& c, int64_t company_id, int64_t id);

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  ChangeSink& sink_;
};

}  // namespace tally
