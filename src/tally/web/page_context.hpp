// The one pipeline every HTML page goes through (add_page): session, CSRF on every POST, sign-in
// and company access checks, role checks, flash messages, error pages that never show internals,
// and security headers. Handlers receive a PageContext and return a Response.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tally/app/services.hpp"
#include "tally/web/templates.hpp"
#include "web/router.hpp"

namespace tally {

// Who is looking at the page: the signed-in user in their current company.
struct Viewer {
  User user;
  int64_t company_id = 0;
  std::string company_name;
  Role role = Role::member;
  std::vector<CompanyAccess> companies;  // every company the user can open (for the switcher)
};

enum class Access {
  public_page,     // anyone (login, sign-up)
  signed_in,       // a signed-in user, company not required (account pages)
  company_member,  // a signed-in user with an active membership in a usable company
  company_admin,   // as above, with role Admin or Super Admin
};

class PageContext {
 public:
  PageContext(web::Request& req, Services& services) : req(req), services(services) {}

  web::Request& req;
  Services& services;
  std::optional<Viewer> viewer;

  // Renders templates/<name>.mustache inside the layout. `section` highlights the navigation entry.
  web::Response page(std::string_view name, const std::string& title, ViewData view, std::string_view section = "",
                     int status = 200);
  web::Response redirect(const std::string& location);  // 303, keeps pending cookies
  web::Response error_page(int status, const std::string& message = "");
  // Maps a domain error to what the user sees: not_found → 404 page, forbidden → 403, others → 500 (logged).
  web::Response error_response(const mno::Error& error);

  // Shown once on the next page rendered for this session.
  void flash(const std::string& message, const std::string& kind = "notice");
  // The session's CSRF token; starts an anonymous session when there is none yet.
  std::string csrf_token();
  // Signs the user in to a company: rotates the session id (fixation), stores user and company.
  void sign_in(int64_t user_id, int64_t company_id);
  void sign_out();
  void set_company(int64_t company_id);

  std::shared_ptr<web::Session> session;
  std::vector<std::string> pending_set_cookies;  // Set-Cookie values produced while handling, applied to the final response
  web::Response finish(web::Response res);   // applies cookies, saves the session, adds security headers
};

using PageHandler = std::function<web::Response(PageContext&)>;

void add_page(web::Router& router, Services& services, std::string_view method, std::string_view pattern, Access access,
              PageHandler handler, size_t max_body = 256 * 1024);

// Form helpers shared by pages: field values and their error messages for a template.
void set_form(ViewData& view, const std::map<std::string, std::string>& values, const std::map<std::string, std::string>& errors);
std::optional<int64_t> parse_id(const std::string& text);

}  // namespace tally
