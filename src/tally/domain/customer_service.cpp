// CustomerService (customer.hpp): validation of CustomerInput, and each change with its
// ChangeEvent in one transaction.
#include "tally/domain/contact_fields.hpp"
#include "tally/domain/customer.hpp"
#include "tally/store/customer_store.hpp"
#include "tally/store/invoice_store.hpp"
#include "tally/store/list_query_sql.hpp"

namespace tally {

namespace {

constexpr const char* kEntity = "customer";

Customer validate(const CustomerInput& in, FieldErrors& errors) {
  Customer x;
  x.name = trimmed(in.name);
  if (x.name.empty()) errors.add("name", "is required");
  check_length(errors, "name", x.name, 200);
  x.code = trimmed(in.code);
  check_length(errors, "code", x.code, 50);
  x.email = checked_email(errors, "email", in.email);
  x.phone = trimmed(in.phone);
  check_length(errors, "phone", x.phone, 50);
  x.website = trimmed(in.website);
  if (!x.website.empty() && !is_valid_web_url(x.website))
    errors.add("website", "must be a web address starting with http:// or https://");
  check_length(errors, "website", x.website, 500);
  x.billing = checked_address(errors, "billing", in.billing);
  x.shipping = checked_address(errors, "shipping", in.shipping);
  x.notes = in.notes;
  check_length(errors, "notes", x.notes, 10000);
  return x;
}

mno::Error code_taken_error() {
  FieldErrors e;
  e.add("code", "is already used by another customer");
  return e.to_error();
}

bool is_code_conflict(const mno::Error& e) {
  return e.code == "db.constraint" && e.message.find("customers_code") != std::string::npos;
}

}  // namespace

CustomerService::CustomerService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink)
    : db_(db), clock_(clock), sink_(sink) {}

mno::Result<Customer> CustomerService::create(int64_t company_id, const CustomerInput& in, ChangeOrigin origin) {
  auto r = db_.transact([&](mno::db::Connection& c) { return create(c, company_id, in, origin); });
  if (!r && is_code_conflict(r.error())) return code_taken_error();
  return r;
}

mno::Result<Customer> CustomerService::create(mno::db::Connection& c, int64_t company_id, const CustomerInput& in,
                                              ChangeOrigin origin) {
  FieldErrors errors;
  Customer x = validate(in, errors);
  if (!errors.empty()) return errors.to_error();
  x.company_id = company_id;
  x.created_at = x.updated_at = now_text(clock_);
  if (!x.code.empty()) {
    auto taken = store::customer_code_taken(c, company_id, x.code, 0);
    if (!taken) return taken.error();
    if (*taken) return code_taken_error();
  }
  auto id = store::insert_customer(c, x);
  if (!id) return id.error();
  Customer out = x;
  out.id = *id;
  out.version = 1;
  if (auto s = sink_.on_change(c, {company_id, kEntity, out.id, ChangeKind::created, 1, origin}); !s) return s.error();
  return out;
}

mno::Result<Customer> CustomerService::update(int64_t company_id, int64_t id, int64_t expected_version,
                                              const CustomerInput& in, ChangeOrigin origin) {
  auto r = db_.transact([&](mno::db::Connection& c) { return update(c, company_id, id, expected_version, in, origin); });
  if (!r && is_code_conflict(r.error())) return code_taken_error();
  return r;
}

mno::Result<Customer> CustomerService::update(mno::db::Connection& c, int64_t company_id, int64_t id,
                                              int64_t expected_version, const CustomerInput& in, ChangeOrigin origin) {
  FieldErrors errors;
  Customer x = validate(in, errors);
  if (!errors.empty()) return errors.to_error();
  x.id = id;
  x.company_id = company_id;
  x.updated_at = now_text(clock_);
  auto current = store::find_customer(c, company_id, id);
  if (!current) return current.error();
  if (!*current) return store::not_found(kEntity);
  if ((*current)->version != expected_version) return store::stale(kEntity);
  if (!x.code.empty() && !(*current)->archived()) {
    auto taken = store::customer_code_taken(c, company_id, x.code, id);
    if (!taken) return taken.error();
    if (*taken) return code_taken_error();
  }
  auto n = store::update_customer(c, x, expected_version);
  if (!n) return n.error();
  if (auto s = store::check_versioned_write(c, "customers", kEntity, company_id, id, *n); !s) return s.error();
  auto out = store::find_customer(c, company_id, id);
  if (!out) return out.error();
  if (!*out) return store::not_found(kEntity);
  if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::updated, (*out)->version, origin}); !s)
    return s.error();
  return **out;
}

mno::Result<Customer> CustomerService::get(int64_t company_id, int64_t id) {
  return db_.transact(
      [&](mno::db::Connection& c) -> mno::Result<Customer> {
        auto x = store::find_customer(c, company_id, id);
        if (!x) return x.error();
        if (!*x) return store::not_found(kEntity);
        return **x;
      },
      mno::db::TxKind::read);
}

mno::Result<Page<Customer>> CustomerService::list(int64_t company_id, const ListQuery& q) {
  return db_.transact(
      [&](mno::db::Connection& c) -> mno::Result<Page<Customer>> { return store::list_customers(c, company_id, q); },
      mno::db::TxKind::read);
}

mno::Result<Customer> CustomerService::archive(int64_t company_id, int64_t id, int64_t expected_version,
                                               ChangeOrigin origin) {
  return db_.transact([&](mno::db::Connection& c) { return archive(c, company_id, id, expected_version, origin); });
}

mno::Result<Customer> CustomerService::archive(mno::db::Connection& c, int64_t company_id, int64_t id,
                                               int64_t expected_version, ChangeOrigin origin) {
  const std::string now = now_text(clock_);
  // Archive first, then count: the row lock taken here makes a concurrent invoice create (which
  // locks the customer row) either finish before the count or see the customer archived.
  if (auto s = store::archive_row(c, "customers", kEntity, company_id, id, expected_version, now); !s)
    return s.error();
  auto open = store::count_open_invoices(c, company_id, id);
  if (!open) return open.error();
  if (*open > 0) {
    return mno::make_error("record.in_use",
                           "this customer cannot be archived: " + std::to_string(*open) +
                               (*open == 1 ? " open invoice (draft or sent) uses it"
                                           : " open invoices (draft or sent) use it") +
                               "; mark them paid or void first");
  }
  auto out = store::find_customer(c, company_id, id);
  if (!out) return out.error();
  if (!*out) return store::not_found(kEntity);
  if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::archived, (*out)->version, origin}); !s)
    return s.error();
  return **out;
}

}  // namespace tally
