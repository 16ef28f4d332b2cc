// Contacts: the people a company deals with, optionally belonging to one of its customers.
// ContactService is the one place where contacts are created, changed and archived; each change
// emits one ChangeEvent (entity "contact") in the same transaction.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/list_query.hpp"

namespace tally {

struct ContactInput {
  std::string first_name, last_name;  // at least one required (error on "first_name")
  std::string job_title;
  std::string email;                  // valid when set
  std::string phone, mobile;
  std::string customer_id;            // "" = none; else the id of a non-archived customer of the company
};

struct Contact {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string first_name, last_name, job_title, email, phone, mobile;
  std::optional<int64_t> customer_id;
  std::string customer_name;  // for display; "" when no customer
  std::string created_at, updated_at;
  std::optional<std::string> archived_at;
  int64_t version = 1;
  bool archived() const { return archived_at.has_value(); }
  std::string display_name() const;  // "First Last", or whichever is set
};

struct ContactListQuery : ListQuery {
  std::optional<int64_t> customer_id;  // only contacts of this customer
};

// Sort whitelist: "name" (default: last name, first name), "first_name", "last_name", "email",
// "customer" (customer name), "created_at", "updated_at". Search: first/last name, email, customer name.
class ContactService {
 public:
  ContactService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink);

  mno::Result<Contact> create(int64_t company_id, const ContactInput& in, ChangeOrigin origin = ChangeOrigin::local);
  mno::Result<Contact> update(int64_t company_id, int64_t id, int64_t expected_version, const ContactInput& in,
                              ChangeOrigin origin = ChangeOrigin::local);
  mno::Result<Contact> get(int64_t company_id, int64_t id);
  mno::Result<Page<Contact>> list(int64_t company_id, const ContactListQuery& q);
  mno::Result<Page<Contact>> list(int64_t company_id, const ListQuery& q) { return list(company_id, ContactListQuery{q, {}}); }
  // Always allowed; invoices that name the contact keep showing its name.
  mno::Result<Contact> archive(int64_t company_id, int64_t id, int64_t expected_version,
                               ChangeOrigin origin = ChangeOrigin::local);

  // The same changes inside the caller's transaction (the sync engine applies Connec! data on its own
  // connection, with ChangeOrigin::connec, together with its id-map and inbox bookkeeping).
  mno::Result<Contact> create(mno::db::Connection& c, int64_t company_id, const ContactInput& in, ChangeOrigin origin);
  mno::Result<Contact> update(mno::db::Connection& c, int64_t company_id, int64_t id, int64_t expected_version,
                              const ContactInput& in, ChangeOrigin origin);
  mno::Result<Contact> archive(mno::db::Connection& c, int64_t company_id, int64_t id, int64_t expected_version,
                               ChangeOrigin origin);

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  ChangeSink& sink_;
};

}  // namespace tally
