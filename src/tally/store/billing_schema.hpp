// Migrations of platform billing (versions 60-69): subscriptions, the billing ledger and the SMS
// reminders (the paid in-app action). Joined into schema_migrations() in schema.cpp.
#pragma once
#include <vector>

#include "mno/db/migrations.hpp"

namespace tally {

const std::vector<mno::db::Migration>& billing_migrations();

}  // namespace tally
