// SQL for the customers table. Only CustomerService (and read-only joins elsewhere) call these;
// every statement is scoped by company_id.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/customer.hpp"

namespace tally::store {

// for_update locks the row on PostgreSQL (invoice creation vs. archiving the customer).
mno::Result<std::optional<Customer>> find_customer(mno::db::Connection& c, int64_t company_id, int64_t id,
                                                   bool for_update = false);
// Inserts with version 1; returns the new id.
mno::Result<int64_t> insert_customer(mno::db::Connection& c, const Customer& x);
// Writes the editable fields and updated_at where version = expected_version; returns rows affected.
mno::Result<int64_t> update_customer(mno::db::Connection& c, const Customer& x, int64_t expected_version);
// Whether another non-archived customer of the company has this code.
mno::Result<bool> customer_code_taken(mno::db::Connection& c, int64_t company_id, const std::string& code,
                                      int64_t exclude_id);
mno::Result<Page<Customer>> list_customers(mno::db::Connection& c, int64_t company_id, const ListQuery& q);

}  // namespace tally::store
