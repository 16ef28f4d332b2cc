// In-process Tally for HTTP tests: a fresh database (SQLite or PostgreSQL), the real services and
// the complete route table (tally::add_all_routes) served by a real web::Server on loopback, plus a
// cookie-keeping Browser client. Tests talk HTTP to exactly what ships, without starting processes.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mno/config/registry.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/clock.hpp"
#include "tally/app/services.hpp"
#include "web/server.hpp"

namespace testenv {

class AppHarness {
 public:
  // kind: "sqlite" or "postgresql". Returns nullptr (after GTEST_SKIP/FAIL bookkeeping by the caller)
  // when PostgreSQL is not configured: call testenv::skip_unless_available(kind) first.
  explicit AppHarness(const std::string& kind);
  ~AppHarness();

  std::string url;  // http://127.0.0.1:PORT
  mno::ManualClock clock;  // starts at the real current time; tests may advance it
  mno::config::Registry registry;
  std::shared_ptr<mno::db::Database> db;
  std::unique_ptr<tally::Services> services;

  struct Account {
    int64_t user_id = 0;
    int64_t company_id = 0;
    std::string email;
    std::string password;
  };
  // Creates a user with a company (as sign-up does) directly through the services.
  Account create_account(const std::string& email, const std::string& company_name = "Acme",
                         const std::string& password = "correct-horse-battery");

 private:
  std::unique_ptr<web::Router> router_;
  std::unique_ptr<web::Server> server_;
};

// A minimal browser: keeps cookies, remembers the last CSRF token seen in a page, follows nothing
// automatically (tests check redirects themselves).
class Browser {
 public:
  explicit Browser(std::string base_url) : base_(std::move(base_url)) {}

  mno::http::Response get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers = {});
  // POSTs an urlencoded form; adds "_csrf" from the last page seen unless with_csrf is false.
  mno::http::Response post_form(const std::string& path, std::vector<std::pair<std::string, std::string>> fields,
                                bool with_csrf = true);
  mno::http::Response send(const std::string& method, const std::string& path, const std::string& body,
                           std::vector<std::pair<std::string, std::string>> headers = {});
  // GET /login then POST it; true when redirected into the app.
  bool login(const std::string& email, const std::string& password);

  const std::string& csrf() const { return csrf_; }
  std::map<std::string, std::string> cookies;

 private:
  mno::http::Response finish(mno::http::Response r);
  std::string base_;
  std::string csrf_;
};

// First value of an HTML attribute/field by name in a page: value of <input name="NAME" value="...">.
std::optional<std::string> form_value(const std::string& html, const std::string& name);
std::string url_encode_form(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace testenv
