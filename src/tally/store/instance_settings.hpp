// Per-installation values kept in the database, shared by every Tally process on it: for now the
// session signing key, generated once so that sessions survive restarts and work across processes.
#pragma once
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace tally {

// Returns the stored key, or stores a fresh random one. Two processes racing get the same key.
mno::Result<std::string> session_signing_key(mno::db::Database& db, mno::Random& random, const mno::Clock& clock);

}  // namespace tally
