// SQL for the contacts table (with the customer's name joined for display). Only ContactService
// and InvoiceService (contact checks) call these; every statement is scoped by company_id.
#pragma once
#include <cstdint>
#include <optional>

#include "mno/db/database.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/contact.hpp"

namespace tally::store {

mno::Result<std::optional<Contact>> find_contact(mno::db::Connection& c, int64_t company_id, int64_t id);
mno::Result<int64_t> insert_contact(mno::db::Connection& c, const Contact& x);
mno::Result<int64_t> update_contact(mno::db::Connection& c, const Contact& x, int64_t expected_version);
mno::Result<Page<Contact>> list_contacts(mno::db::Connection& c, int64_t company_id, const ContactListQuery& q);

}  // namespace tally::store
