// Customers: the organisations a company invoices. CustomerService is the one place where customer
// records are created, changed and archived; each change emits one ChangeEvent (entity "customer")
// in the same transaction. Inputs hold the text as typed; the service validates and normalises it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/change_event.hpp"
#include "tally/domain/list_query.hpp"

namespace tally {

// A postal address; country is an ISO 3166-1 alpha-2 code stored upper case ("FR"), or "".
struct Address {
  std::string line1, line2, city, postcode, region, country;
  bool operator==(const Address&) const = default;
};

struct CustomerInput {
  std::string name;     // required, ≤ 200 characters
  std::string code;     // optional, unique per company among non-archived customers, ≤ 50
  std::string email;    // optional, a valid address when set
  std::string phone;
  std::string website;  // optional, http:// or https:// when set
  Address billing;      // field errors name e.g. "billing.country"
  Address shipping;     // "shipping.country"
  std::string notes;
};

struct Customer {
  int64_t id = 0;
  int64_t company_id = 0;
  std::string name;
  std::string code;  // "" when none
  std::string email, phone, website;
  Address billing, shipping;
  std::string notes;
  std::string created_at, updated_at;     // ISO-8601 UTC
  std::optional<std::string> archived_at;
  int64_t version = 1;
  bool archived() const { return archived_at.has_value(); }
};

// Sort whitelist: "name" (default), "code", "email", "created_at", "updated_at".
// Search: name, code, email.
class CustomerService {
 public:
  CustomerService(mno::db::Database& db, const mno::Clock& clock, ChangeSink& sink);

  mno::Result<Customer> create(int64_t company_id, const CustomerInput& in, ChangeOrigin origin = ChangeOrigin::local);
  // Full replacement of the editable fields; record.stale when expected_version is not current.
  mno::Result<Customer> update(int64_t company_id, int64_t id, int64_t expected_version, const CustomerInput& in,
                               ChangeOrigin origin = ChangeOrigin::local);
  mno::Result<Customer> get(int64_t company_id, int64_t id);
  mno::Result<Page<Customer>> list(int64_t company_id, const ListQuery& q);
  // record.in_use when draft or sent invoices (not archived) still use the customer.
  mno::Result<Customer> archive(int64_t company_id, int64_t id, int64_t expected_version,
                                ChangeOrigin origin = ChangeOrigin::local);

  // The same changes inside the caller's transaction (the sync engine applies Connec! data on its own
  // connection, with ChangeOrigin::connec, together with its id-map and inbox bookkeeping).
  mno::Result<Customer> create(mno::db::Connection& c, int64_t company_id, const CustomerInput& in, ChangeOrigin origin);
  mno::Result<Customer> update(mno::db::Connection& c, int64_t company_id, int64_t id, int64_t expected_version,
                               const CustomerInput& in, ChangeOrigin origin);
  mno::Result<Customer> archive(mno::db::Connection& c, int64_t company_id, int64_t id, int64_t expected_version,
                                ChangeOrigin origin);

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
  ChangeSink& sink_;
};

}  // namespace tally
