// See instance_settings.hpp.
#include "tally/store/instance_settings.hpp"

#include "mno/util/iso8601.hpp"

namespace tally {

mno::Result<std::string> session_signing_key(mno::db::Database& db, mno::Random& random, const mno::Clock& clock) {
  return db.transact([&](mno::db::Connection& c) -> mno::Result<std::string> {
    // INSERT ... ON CONFLICT DO NOTHING then SELECT: whoever inserts first wins, everybody reads the winner.
    auto ins = c.execute(
        "INSERT INTO instance_settings (name, value, updated_at) VALUES ('session_signing_key', $1, $2) "
        "ON CONFLICT (name) DO NOTHING",
        {random.hex_token(32), mno::format_iso8601(clock.now())});
    if (!ins) return ins.error();
    auto row = c.query_one("SELECT value FROM instance_settings WHERE name = 'session_signing_key'");
    if (!row) return row.error();
    if (!*row) return mno::make_error("tally.settings", "session signing key missing after insert");
    return (*row)->text(0);
  });
}

}  // namespace tally
