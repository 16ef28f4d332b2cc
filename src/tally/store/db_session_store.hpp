// Web sessions in the database (table sessions), so several Tally processes share them. The id is
// stored as its SHA-256 (a leaked table reveals no live session id); data is JSON. Expired
// sessions are never returned; purge_expired() deletes them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "web/session.hpp"

namespace tally {

class DbSessionStore final : public web::SessionStore {
 public:
  DbSessionStore(mno::db::Database& db, const mno::Clock& clock);

  mno::Result<std::optional<web::Session>> load(const std::string& id) override;
  mno::Status save(const web::Session& session) override;  // insert or replace
  mno::Status erase(const std::string& id) override;       // unknown id is OK
  mno::Result<int64_t> purge_expired();                     // rows deleted

 private:
  mno::db::Database& db_;
  const mno::Clock& clock_;
};

}  // namespace tally
