// See invoice_store.hpp. Lists read headers only (totals and line_count are stored on the
// header), so a page costs two indexed queries whatever the number of lines.
#include "tally/store/invoice_store.hpp"

#include <cstdio>

#include "tally/domain/validation.hpp"
#include "tally/store/list_query_sql.hpp"
#include "tally/store/record_counts.hpp"

namespace tally::store {

namespace {

constexpr const char* kSelect =
    "SELECT i.id, i.company_id, i.number, i.customer_id, cu.name, i.contact_id, k.first_name, k.last_name,"
    " i.issue_date, i.due_date, i.status, i.currency, i.notes, i.net_cents, i.tax_cents, i.total_cents,"
    " i.line_count, i.created_at, i.updated_at, i.archived_at, i.version";
constexpr const char* kFrom =
    " FROM invoices i JOIN customers cu ON cu.company_id = i.company_id AND cu.id = i.customer_id"
    " LEFT JOIN contacts k ON k.company_id = i.company_id AND k.id = i.contact_id";

Invoice from_row(const mno::db::Row& r) {
  Invoice x;
  x.id = r.i64(0);
  x.company_id = r.i64(1);
  x.number = r.text(2);
  x.customer_id = r.i64(3);
  x.customer_name = r.text(4);
  x.contact_id = r.opt_i64(5);
  std::string first = r.opt_text(6).value_or(""), last = r.opt_text(7).value_or("");
  x.contact_name = first.empty() ? last : last.empty() ? first : first + " " + last;
  x.issue_date = r.text(8);
  x.due_date = r.text(9);
  x.status = parse_invoice_status(r.text(10)).value_or(InvoiceStatus::draft);
  x.currency = r.text(11);
  x.notes = r.text(12);
  x.net_cents = r.i64(13);
  x.tax_cents = r.i64(14);
  x.total_cents = r.i64(15);
  x.line_count = static_cast<int>(r.i64(16));
  x.created_at = r.text(17);
  x.updated_at = r.text(18);
  x.archived_at = r.opt_text(19);
  x.version = r.i64(20);
  return x;
}

}  // namespace

std::string format_invoice_number(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "INV-%05lld", static_cast<long long>(seq));
  return buf;
}

mno::Result<int64_t> next_invoice_seq(mno::db::Connection& c, int64_t company_id) {
  // One atomic upsert: PostgreSQL serialises concurrent callers on the counter row's lock, SQLite
  // on its single writer.
  auto row = c.query_one(
      "INSERT INTO invoice_counters (company_id, last_number) VALUES ($1, 1)"
      " ON CONFLICT (company_id) DO UPDATE SET last_number = invoice_counters.last_number + 1"
      " RETURNING last_number",
      {company_id});
  if (!row) return row.error();
  return (*row)->i64(0);
}

mno::Result<std::optional<Invoice>> find_invoice(mno::db::Connection& c, int64_t company_id, int64_t id) {
  auto row = c.query_one(std::string(kSelect) + kFrom + " WHERE i.id = $1 AND i.company_id = $2", {id, company_id});
  if (!row) return row.error();
  if (!*row) return std::optional<Invoice>{};
  Invoice x = from_row(**row);
  auto lines = c.query(
      "SELECT id, position, product_id, description, quantity_milli, unit_price_cents, tax_rate_bp, net_cents,"
      " tax_cents, total_cents FROM invoice_lines WHERE invoice_id = $1 AND company_id = $2 ORDER BY position",
      {id, company_id});
  if (!lines) return lines.error();
  for (const auto& r : *lines) {
    InvoiceLine l;
    l.id = r.i64(0);
    l.position = static_cast<int>(r.i64(1));
    l.product_id = r.opt_i64(2);
    l.description = r.text(3);
    l.quantity_milli = r.i64(4);
    l.unit_price_cents = r.i64(5);
    l.tax_rate_bp = r.i64(6);
    l.net_cents = r.i64(7);
    l.tax_cents = r.i64(8);
    l.total_cents = r.i64(9);
    x.lines.push_back(std::move(l));
  }
  return std::optional<Invoice>{std::move(x)};
}

mno::Result<std::optional<Invoice>> lock_invoice(mno::db::Connection& c, int64_t company_id, int64_t id) {
  auto row = c.query_one(
      "SELECT id, status, version, customer_id, contact_id, archived_at FROM invoices WHERE id = $1 AND company_id = $2" +
          std::string(mno::db::for_update(c.dialect())),
      {id, company_id});
  if (!row) return row.error();
  if (!*row) return std::optional<Invoice>{};
  Invoice x;
  x.id = (*row)->i64(0);
  x.company_id = company_id;
  x.status = parse_invoice_status((*row)->text(1)).value_or(InvoiceStatus::draft);
  x.version = (*row)->i64(2);
  x.customer_id = (*row)->i64(3);
  x.contact_id = (*row)->opt_i64(4);
  x.archived_at = (*row)->opt_text(5);
  return std::optional<Invoice>{std::move(x)};
}

mno::Result<std::vector<int64_t>> invoice_product_ids(mno::db::Connection& c, int64_t company_id,
                                                      int64_t invoice_id) {
  auto rows = c.query(
      "SELECT DISTINCT product_id FROM invoice_lines WHERE invoice_id = $1 AND company_id = $2 AND product_id IS NOT NULL",
      {invoice_id, company_id});
  if (!rows) return rows.error();
  std::vector<int64_t> out;
  for (const auto& r : *rows) out.push_back(r.i64(0));
  return out;
}

mno::Result<int64_t> insert_invoice(mno::db::Connection& c, const Invoice& x, int64_t seq) {
  auto row = c.query_one(
      "INSERT INTO invoices (company_id, seq, number, customer_id, contact_id, issue_date, due_date, status, currency,"
      " notes, net_cents, tax_cents, total_cents, line_count, created_at, updated_at, version)"
      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$15,1) RETURNING id",
      {x.company_id, seq, x.number, x.customer_id, x.contact_id, x.issue_date, x.due_date,
       std::string(to_string(x.status)), x.currency, x.notes, x.net_cents, x.tax_cents, x.total_cents,
       static_cast<int64_t>(x.lines.size()), x.created_at});
  if (!row) return row.error();
  return (*row)->i64(0);
}

mno::Result<int64_t> update_invoice_header(mno::db::Connection& c, const Invoice& x, int64_t expected_version) {
  return c.execute(
      "UPDATE invoices SET customer_id=$1, contact_id=$2, issue_date=$3, due_date=$4, currency=$5, notes=$6,"
      " net_cents=$7, tax_cents=$8, total_cents=$9, line_count=$10, updated_at=$11, version = version + 1"
      " WHERE id=$12 AND company_id=$13 AND version=$14",
      {x.customer_id, x.contact_id, x.issue_date, x.due_date, x.currency, x.notes, x.net_cents, x.tax_cents,
       x.total_cents, static_cast<int64_t>(x.lines.size()), x.updated_at, x.id, x.company_id, expected_version});
}

mno::Status replace_invoice_lines(mno::db::Connection& c, const Invoice& x) {
  auto del = c.execute("DELETE FROM invoice_lines WHERE invoice_id = $1 AND company_id = $2", {x.id, x.company_id});
  if (!del) return del.error();
  if (x.lines.empty()) return {};
  // One multi-row INSERT: up to 200 lines × 11 values stays far below both backends' parameter limits.
  std::string sql =
      "INSERT INTO invoice_lines (company_id, invoice_id, position, product_id, description, quantity_milli,"
      " unit_price_cents, tax_rate_bp, net_cents, tax_cents, total_cents) VALUES ";
  std::vector<mno::db::Value> params;
  for (size_t i = 0; i < x.lines.size(); ++i) {
    const auto& l = x.lines[i];
    sql += i ? ",(" : "(";
    for (int k = 0; k < 11; ++k) sql += (k ? ",$" : "$") + std::to_string(params.size() + 1 + k);
    sql += ")";
    params.insert(params.end(), {x.company_id, x.id, static_cast<int64_t>(i), l.product_id, l.description,
                                 l.quantity_milli, l.unit_price_cents, l.tax_rate_bp, l.net_cents, l.tax_cents,
                                 l.total_cents});
  }
  auto ins = c.execute(sql, params);
  if (!ins) return ins.error();
  return {};
}

mno::Result<int64_t> update_invoice_status(mno::db::Connection& c, int64_t company_id, int64_t id,
                                           int64_t expected_version, InvoiceStatus status, const std::string& now) {
  return c.execute(
      "UPDATE invoices SET status=$1, updated_at=$2, version = version + 1 WHERE id=$3 AND company_id=$4 AND version=$5",
      {std::string(to_string(status)), now, id, company_id, expected_version});
}

mno::Result<Page<Invoice>> list_invoices(mno::db::Connection& c, int64_t company_id, const InvoiceListQuery& q) {
  auto order = order_by_clause(q,
                               {{"number", "i.seq"},
                                {"issue_date", "i.issue_date"},
                                {"due_date", "i.due_date"},
                                {"customer", "lower(cu.name)"},
                                {"status", "i.status"},
                                {"total", "i.total_cents"},
                                {"created_at", "i.created_at"}},
                               "i.seq");
  std::optional<InvoiceStatus> status;
  FieldErrors status_error;
  if (!q.status.empty()) {
    status = parse_invoice_status(q.status);
    if (!status) status_error.add("status", "must be one of draft, sent, paid, void");
  }
  if (!order || !status_error.empty()) {
    if (!order) {
      mno::Error e = order.error();
      for (const auto& [f, m] : status_error.fields) e.fields.emplace(f, m);
      return e;
    }
    return status_error.to_error();
  }
  std::string where = " WHERE i.company_id = $1";
  std::vector<mno::db::Value> params{company_id};
  if (!q.include_archived) where += " AND i.archived_at IS NULL";
  if (status) {
    params.emplace_back(std::string(to_string(*status)));
    where += " AND i.status = $" + std::to_string(params.size());
  }
  if (q.customer_id) {
    params.emplace_back(*q.customer_id);
    where += " AND i.customer_id = $" + std::to_string(params.size());
  }
  std::string count_from = " FROM invoices i";
  if (!q.search.empty()) {
    params.emplace_back(like_pattern(q.search));
    where += " AND " + search_condition({"i.number", "cu.name"}, static_cast<int>(params.size()));
    count_from = " FROM invoices i JOIN customers cu ON cu.company_id = i.company_id AND cu.id = i.customer_id";
  }
  auto count = q.search.empty() && !q.customer_id
                   ? counted_records(c, company_id, "invoices", q.include_archived,
                                     status ? std::optional<std::string>(to_string(*status)) : std::nullopt)
                   : count_query(c, "SELECT COUNT(*)" + count_from + where, params);
  if (!count) return count.error();
  auto rows = c.query(std::string(kSelect) + kFrom + where + *order + limit_clause(q), params);
  if (!rows) return rows.error();
  Page<Invoice> page;
  page.total = *count;
  page.page = q.page;
  page.per_page = q.per_page;
  for (const auto& r : *rows) page.items.push_back(from_row(r));
  return page;
}

mno::Result<std::vector<Invoice>> latest_invoices(mno::db::Connection& c, int64_t company_id, int limit) {
  auto rows = c.query(std::string(kSelect) + kFrom +
                          " WHERE i.company_id = $1 AND i.archived_at IS NULL ORDER BY i.seq DESC LIMIT " +
                          std::to_string(limit),
                      {company_id});
  if (!rows) return rows.error();
  std::vector<Invoice> out;
  for (const auto& r : *rows) out.push_back(from_row(r));
  return out;
}

mno::Result<int64_t> count_open_invoices(mno::db::Connection& c, int64_t company_id, int64_t customer_id) {
  auto row = c.query_one(
      "SELECT COUNT(*) FROM invoices WHERE company_id = $1 AND customer_id = $2 AND status IN ('draft','sent')"
      " AND archived_at IS NULL",
      {company_id, customer_id});
  if (!row) return row.error();
  return (*row)->i64(0);
}

mno::Result<std::optional<std::string>> company_currency(mno::db::Connection& c, int64_t company_id) {
  auto row = c.query_one("SELECT currency FROM companies WHERE id = $1", {company_id});
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{(*row)->text(0)};
}

}  // namespace tally::store
