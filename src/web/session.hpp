// Server-side sessions behind a signed cookie ("<id>.<base64url HMAC-SHA256(key, id)>"), with
// id rotation on login and a per-session CSRF token. The store is an interface so the app can
// keep sessions in its database; MemorySessionStore serves tests and single-process setups.
#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"
#include "web/request.hpp"
#include "web/response.hpp"

namespace web {

struct Session {
  std::string id;
  std::map<std::string, std::string> data;
  std::string csrf_token;
  mno::TimePoint expires{};
  bool dirty = false;  // set by the app when data changed and the session must be saved
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // nullopt: unknown or expired id. An error: the store itself failed (treated as "no session").
  virtual mno::Result<std::optional<Session>> load(const std::string& id) = 0;
  virtual mno::Status save(const Session& session) = 0;
  virtual mno::Status erase(const std::string& id) = 0;
};

class MemorySessionStore final : public SessionStore {
 public:
  explicit MemorySessionStore(const mno::Clock& clock) : clock_(clock) {}
  mno::Result<std::optional<Session>> load(const std::string& id) override;
  mno::Status save(const Session& session) override;
  mno::Status erase(const std::string& id) override;
  size_t purge_expired();  // drops expired entries, returns how many
  size_t size() const;

 private:
  const mno::Clock& clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Session> sessions_;
};

struct SessionOptions {
  std::string cookie_name = "tally_session";
  std::chrono::seconds ttl{std::chrono::hours(8)};  // absolute lifetime from start()
  bool secure = false;
  std::string same_site = "Lax";
};

class SessionManager {
 public:
  SessionManager(std::shared_ptr<SessionStore> store, std::string signing_key, const mno::Clock& clock,
                 mno::Random& random, SessionOptions options = {});

  // Reads the cookie, verifies its signature (constant time), loads the unexpired session and
  // sets req.session; nullptr (and req.session reset) otherwise.
  std::shared_ptr<Session> attach(Request& req);
  // Creates a session, or ROTATES the id (and CSRF token) of the attached one, keeping its data
  // (call it at login). Saves it, sets the signed cookie and req.session.
  std::shared_ptr<Session> start(Request& req, Response& res);
  mno::Status save(const Session& session);
  // Erases the attached session and expires the cookie.
  void destroy(Request& req, Response& res);
  // Form field "_csrf" or header "X-CSRF-Token" equals the attached session's token (constant time).
  bool csrf_ok(const Request& req) const;

  // The signed cookie value for an id (exposed for tests and tools).
  std::string sign(const std::string& id) const;
  // The id inside a signed cookie value when the signature is valid.
  std::optional<std::string> verify(std::string_view cookie_value) const;
  const SessionOptions& options() const { return options_; }

 private:
  std::shared_ptr<SessionStore> store_;
  std::string key_;
  const mno::Clock& clock_;
  mno::Random& random_;
  SessionOptions options_;
};

}  // namespace web
