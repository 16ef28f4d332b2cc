// Database-backed outstanding AuthnRequest IDs; see request_store.hpp.
#include "mno/saml/request_store.hpp"

namespace mno::saml {
namespace {

int64_t epoch(TimePoint t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

Error storage_error(const Error& e) { return make_error("saml.storage", "request store: " + e.code + ": " + e.message); }

}  // namespace

std::vector<db::Migration> request_store_migrations(int base_version) {
  return {
      {base_version, "saml outstanding requests",
       "CREATE TABLE saml_outstanding_requests (request_id TEXT PRIMARY KEY, session_key TEXT NOT NULL, "
       "expires_at BIGINT NOT NULL);"
       "CREATE INDEX saml_outstanding_requests_expiry ON saml_outstanding_requests (expires_at);",
       ""},
  };
}

DbRequestStore::DbRequestStore(std::shared_ptr<db::Database> db) : db_(std::move(db)) {}

Status DbRequestStore::remember(std::string_view request_id, std::string_view session_key, TimePoint expires_at) {
  if (request_id.empty() || session_key.empty()) return make_error("saml.storage", "request id and session key are required");
  auto r = db_->execute("INSERT INTO saml_outstanding_requests (request_id, session_key, expires_at) VALUES ($1, $2, $3)",
                        {request_id, session_key, epoch(expires_at)});
  if (!r) return storage_error(r.error());
  return {};
}

Status DbRequestStore::consume(std::string_view request_id, std::string_view session_key, TimePoint now) {
  if (request_id.empty()) return make_error("saml.in_response_to", "InResponseTo is missing");
  // One DELETE decides: of two concurrent consumers only one sees a deleted row. Another session's
  // request is left in place, so an attacker posting a victim's response cannot burn the victim's login.
  auto r = db_->execute(
      "DELETE FROM saml_outstanding_requests WHERE request_id = $1 AND session_key = $2 AND expires_at > $3",
      {request_id, session_key, epoch(now)});
  if (!r) return storage_error(r.error());
  if (*r != 1) return make_error("saml.in_response_to", "InResponseTo is not an outstanding request of this session");
  return {};
}

Result<bool> DbRequestStore::is_outstanding(std::string_view request_id, std::string_view session_key, TimePoint now) {
  auto r = db_->query(
      "SELECT 1 FROM saml_outstanding_requests WHERE request_id = $1 AND session_key = $2 AND expires_at > $3",
      {request_id, session_key, epoch(now)});
  if (!r) return storage_error(r.error());
  return !r->empty();
}

Result<int64_t> DbRequestStore::purge_expired(TimePoint now) {
  auto r = db_->execute("DELETE FROM saml_outstanding_requests WHERE expires_at <= $1", {epoch(now)});
  if (!r) return storage_error(r.error());
  return *r;
}

}  // namespace mno::saml
