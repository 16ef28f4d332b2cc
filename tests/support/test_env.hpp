// Test environment helpers: which databases to run storage tests against, where binaries are,
// free loopback ports and temporary folders. `make test` sets TALLY_TEST_PG_URL to a throwaway
// PostgreSQL cluster; TALLY_REQUIRE_PG=1 turns a missing PostgreSQL into a failure, not a skip.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace testenv {

// Database URLs the storage tests run against: a fresh SQLite file, plus PostgreSQL when available.
// Each PostgreSQL URL names a fresh schema-isolated database created for the calling test.
std::vector<std::string> database_kinds();  // {"sqlite", "postgresql"?}
std::string postgres_url();                 // "" when not configured
bool postgres_required();

// A fresh empty directory under the build folder's tmp/, unique per call.
std::string temp_dir(const std::string& hint);

// A TCP port on 127.0.0.1 that was free at the time of the call.
uint16_t free_port();

}  // namespace testenv
