// Outstanding AuthnRequest IDs, bound to the browser session that started the login, single use and
// expiring: this is what makes InResponseTo a real check (no unsolicited responses, no login CSRF,
// no replay of a response into another browser). Backed by mno::db so it holds across processes.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace mno::saml {

class RequestStore {
 public:
  virtual ~RequestStore() = default;
  // Records request_id for session_key until expires_at. Error: saml.storage.
  virtual Status remember(std::string_view request_id, std::string_view session_key, TimePoint expires_at) = 0;
  // Atomically removes request_id if it belongs to session_key and has not expired at now; exactly one
  // concurrent caller can succeed. Errors: saml.in_response_to (unknown, used, expired or other session),
  // saml.storage.
  virtual Status consume(std::string_view request_id, std::string_view session_key, TimePoint now) = 0;
  // True if consume() would succeed now (does not consume). Error: saml.storage.
  virtual Result<bool> is_outstanding(std::string_view request_id, std::string_view session_key, TimePoint now) = 0;
  // Deletes expired entries; returns how many. Error: saml.storage.
  virtual Result<int64_t> purge_expired(TimePoint now) = 0;
};

// Table saml_outstanding_requests (request_id PK, session_key, expires_at epoch seconds).
// The versions are base_version, base_version+1, ... so an app can place them in its own numbering.
std::vector<db::Migration> request_store_migrations(int base_version);

class DbRequestStore final : public RequestStore {
 public:
  // The database must have request_store_migrations() applied.
  explicit DbRequestStore(std::shared_ptr<db::Database> db);
  Status remember(std::string_view request_id, std::string_view session_key, TimePoint expires_at) override;
  Status consume(std::string_view request_id, std::string_view session_key, TimePoint now) override;
  Result<bool> is_outstanding(std::string_view request_id, std::string_view session_key, TimePoint now) override;
  Result<int64_t> purge_expired(TimePoint now) override;

 private:
  std::shared_ptr<db::Database> db_;
};

// Default lifetime of an outstanding request (the user has this long to finish at the IdP).
inline constexpr Seconds kAuthnRequestTtl{600};

}  // namespace mno::saml
