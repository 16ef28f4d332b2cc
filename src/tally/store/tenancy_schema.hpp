// Schema of the tenancy area: companies (the tenants), users, memberships, sessions, API tokens,
// login throttling. Versions 2-19 (see schema.cpp for the numbering rule).
#pragma once
#include <vector>

#include "mno/db/migrations.hpp"

namespace tally {

const std::vector<mno::db::Migration>& tenancy_migrations();

}  // namespace tally
