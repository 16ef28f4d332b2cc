// Schema of the tenancy area: companies (the tenants), users, memberships, sessions, API tokens,
// login throttling (versions 2-19), and single sign-on: user identities plus the SAML library's
// outstanding-request and replay tables (versions 50-59; see schema.cpp for the numbering rule).
#pragma once
#include <vector>

#include "mno/db/migrations.hpp"

namespace tally {

const std::vector<mno::db::Migration>& tenancy_migrations();

}  // namespace tally
