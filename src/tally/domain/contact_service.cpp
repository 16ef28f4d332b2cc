// ContactService (contact.hpp): validation of ContactInput (including that the customer belongs
// to the same company and is not archived), and each change with its ChangeEvent in one transaction.
#include "tally/domain/contact.hpp"
#include "tally/domain/contact_fields.hpp"
#include "tally/store/contact_store.hpp"
#include "tally/store/customer_store.hpp"
#include "tally/store/list_query_sql.hpp"

namespace tally {

namespace {

constexpr const char* kEntity = "contact";

Contact validate(const ContactInput& in, FieldErrors& errors) {
  Contact x;
  x.first_name = trimmed(in.first_name);
  x.last_name = trimmed(in.last_name);
  if (x.first_name.empty() && x.last_name.empty()) errors.add("first_name", "or last name is required");
  check_length(errors, "first_name", x.first_name, 100);
  check_length(errors, "last_name", x.last_name, 100);
  x.job_title = trimmed(in.job_title);
  check_length(errors, "job_title", x.job_title, 100);
  x.email = checked_email(errors, "email", in.email);
  x.phone = trimmed(in.phone);
  check_length(errors, "phone", x.phone, 50);
  x.mobile = trimmed(in.mobile);
  check_length(errors, "mobile", x.mobile, 50);
  x.customer_id = checked_id(errors, "customer_id", in.customer_id);
  return x;
}

// The customer must be one of the company's, and not archived unless the contact already had it.
mno::Status check_customer(mno::db::Connection& c, int64_t company_id, Contact& x,
                           std::optional<int64_t> current_customer) {
  if (!x.customer_id) return {};
  auto cu = store::find_customer(c, company_id, *x.customer_id);
  if (!cu) return cu.error();
  FieldErrors e;
  if (!*cu) e.add("customer_id", "is not one of your customers");
  else if ((*cu)->archived() && current_customer != x.customer_id) e.add("customer_id", "is archived");
  if (!e.empty()) return e.to_error();
  x.customer_name = (*cu)->name;
  return {};
}

}  // namespace

std::string Contact::display_name() const {
  if (first_name.empty()) return last_name;
  if (last_name.empty()) return first_name;
  return first_name + " " + last_name;
}

ContactService::ContactService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink)
    : db_(db), clock_(clock), sink_(sink) {}

mno::Result<Contact> ContactService::create(int64_t company_id, const ContactInput& in, ChangeOrigin origin) {
  return db_.transact([&](mno::db::Connection& c) { return create(c, company_id, in, origin); });
}

mno::Result<Contact> ContactService::create(mno::db::Connection& c, int64_t company_id, const ContactInput& in,
                                            ChangeOrigin origin) {
  FieldErrors errors;
  Contact x = validate(in, errors);
  if (!errors.empty()) return errors.to_error();
  x.company_id = company_id;
  x.created_at = x.updated_at = now_text(clock_);
  if (auto s = check_customer(c, company_id, x, std::nullopt); !s) return s.error();
  auto id = store::insert_contact(c, x);
  if (!id) return id.error();
  x.id = *id;
  x.version = 1;
  if (auto s = sink_.on_change(c, {company_id, kEntity, x.id, ChangeKind::created, 1, origin}); !s) return s.error();
  return x;
}

mno::Result<Contact> ContactService::update(int64_t company_id, int64_t id, int64_t expected_version,
                                            const ContactInput& in, ChangeOrigin origin) {
  return db_.transact([&](mno::db::Connection& c) { return update(c, company_id, id, expected_version, in, origin); });
}

mno::Result<Contact> ContactService::update(mno::db::Connection& c, int64_t company_id, int64_t id,
                                            int64_t expected_version, const ContactInput& in, ChangeOrigin origin) {
  FieldErrors errors;
  Contact x = validate(in, errors);
  if (!errors.empty()) return errors.to_error();
  x.id = id;
  x.company_id = company_id;
  x.updated_at = now_text(clock_);
  auto current = store::find_contact(c, company_id, id);
  if (!current) return current.error();
  if (!*current) return store::not_found(kEntity);
  if ((*current)->version != expected_version) return store::stale(kEntity);
  if (auto s = check_customer(c, company_id, x, (*current)->customer_id); !s) return s.error();
  auto n = store::update_contact(c, x, expected_version);
  if (!n) return n.error();
  if (auto s = store::check_versioned_write(c, "contacts", kEntity, company_id, id, *n); !s) return s.error();
  auto out = store::find_contact(c, company_id, id);
  if (!out) return out.error();
  if (!*out) return store::not_found(kEntity);
  if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::updated, (*out)->version, origin}); !s)
    return s.error();
  return **out;
}

mno::Result<Contact> ContactService::get(int64_t company_id, int64_t id) {
  return db_.transact(
      [&](mno::db::Connection& c) -> mno::Result<Contact> {
        auto x = store::find_contact(c, company_id, id);
        if (!x) return x.error();
        if (!*x) return store::not_found(kEntity);
        return **x;
      },
      mno::db::TxKind::read);
}

mno::Result<Page<Contact>> ContactService::list(int64_t company_id, const ContactListQuery& q) {
  return db_.transact(
      [&](mno::db::Connection& c) -> mno::Result<Page<Contact>> { return store::list_contacts(c, company_id, q); },
      mno::db::TxKind::read);
}

mno::Result<Contact> ContactService::archive(int64_t company_id, int64_t id, int64_t expected_version,
                                             ChangeOrigin origin) {
  return db_.transact([&](mno::db::Connection& c) { return archive(c, company_id, id, expected_version, origin); });
}

mno::Result<Contact> ContactService::archive(mno::db::Connection& c, int64_t company_id, int64_t id,
                                             int64_t expected_version, ChangeOrigin origin) {
  const std::string now = now_text(clock_);
  if (auto s = store::archive_row(c, "contacts", kEntity, company_id, id, expected_version, now); !s) return s.error();
  auto out = store::find_contact(c, company_id, id);
  if (!out) return out.error();
  if (!*out) return store::not_found(kEntity);
  if (auto s = sink_.on_change(c, {company_id, kEntity, id, ChangeKind::archived, (*out)->version, origin}); !s)
    return s.error();
  return **out;
}

}  // namespace tally
