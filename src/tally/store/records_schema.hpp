// Schema of the records area: customers, contacts, products, invoices and their lines.
// Versions 20-49 (see schema.cpp for the numbering rule).
#pragma once
#include <vector>

#include "mno/db/migrations.hpp"

namespace tally {

const std::vector<mno::db::Migration>& records_migrations();

}  // namespace tally
