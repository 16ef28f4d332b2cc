// SQL for invoices, their lines and the per-company invoice counter. Only InvoiceService, the
// Dashboard and CustomerService (its archive check) call these; every statement is scoped by company_id.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/invoice.hpp"

namespace tally::store {

// Atomically takes the company's next invoice sequence number (1, 2, ...) inside the caller's
// write transaction: concurrent creators are serialised on the counter row.
mno::Result<int64_t> next_invoice_seq(mno::db::Connection& c, int64_t company_id);
// "INV-00001".
std::string format_invoice_number(int64_t seq);

// Header with customer/contact names and its lines (ordered by position).
mno::Result<std::optional<Invoice>> find_invoice(mno::db::Connection& c, int64_t company_id, int64_t id);
// Header only (no names, no lines), locked for update on PostgreSQL.
mno::Result<std::optional<Invoice>> lock_invoice(mno::db::Connection& c, int64_t company_id, int64_t id);
// Product ids used by the invoice's current lines.
mno::Result<std::vector<int64_t>> invoice_product_ids(mno::db::Connection& c, int64_t company_id, int64_t invoice_id);
// Inserts the header (version 1) and its lines; returns the new id.
mno::Result<int64_t> insert_invoice(mno::db::Connection& c, const Invoice& x, int64_t seq);
// Writes header fields, totals and updated_at where version = expected_version; returns rows affected.
mno::Result<int64_t> update_invoice_header(mno::db::Connection& c, const Invoice& x, int64_t expected_version);
// Replaces every line of the invoice.
mno::Status replace_invoice_lines(mno::db::Connection& c, const Invoice& x);
mno::Result<int64_t> update_invoice_status(mno::db::Connection& c, int64_t company_id, int64_t id,
                                           int64_t expected_version, InvoiceStatus status, const std::string& now);
// Headers only (line_count set, lines empty), with names.
mno::Result<Page<Invoice>> list_invoices(mno::db::Connection& c, int64_t company_id, const InvoiceListQuery& q);
// The newest non-archived invoices (headers with names).
mno::Result<std::vector<Invoice>> latest_invoices(mno::db::Connection& c, int64_t company_id, int limit);
// Non-archived draft or sent invoices of the customer.
mno::Result<int64_t> count_open_invoices(mno::db::Connection& c, int64_t company_id, int64_t customer_id);
// The company's currency from the companies table, or nullopt when the company does not exist.
mno::Result<std::optional<std::string>> company_currency(mno::db::Connection& c, int64_t company_id);

}  // namespace tally::store
