// An in-memory log of the last requests to the sandbox's platform endpoints (IdP, session check,
// logout, ...), per endpoint name, so a developer can see what the app actually sent (spec 7 item 8).
// Thread-safe; bounded (oldest entries dropped).
#pragma once
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "mno/util/clock.hpp"
#include "web/router.hpp"

namespace sandbox {

struct LoggedRequest {
  int64_t seq = 0;        // increasing, for "newer than" polling
  std::string time;       // ISO 8601 UTC
  std::string endpoint;   // route name, e.g. "idp.sso"
  std::string method;
  std::string path;
  std::string query;      // raw query string, truncated to 2 KiB
  int status = 0;
  std::string note;       // what the handler decided (e.g. "user picker", "response sent")
};

class RequestLog {
 public:
  explicit RequestLog(const mno::Clock& clock, size_t capacity = 500);
  void add(LoggedRequest entry);
  // Newest first; endpoint "" = all; at most limit entries.
  std::vector<LoggedRequest> entries(const std::string& endpoint = "", size_t limit = 100) const;
  void clear();

  // Wraps a handler so every call is recorded under endpoint (the note comes from the response's
  // X-Sandbox-Note header, which is removed before sending).
  web::Handler wrap(std::string endpoint, web::Handler handler);

 private:
  const mno::Clock& clock_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<LoggedRequest> entries_;
  int64_t next_seq_ = 1;
};

}  // namespace sandbox
