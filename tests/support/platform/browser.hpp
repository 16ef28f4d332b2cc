// A minimal browser for loopback integration tests: cookies per origin, redirects followed the way a
// browser navigates (3xx -> GET), and the marketplace's single sign-on done the way a user's browser
// does it (Tally's init URL -> the sandbox IdP -> group picker -> auto-submitting SAMLResponse form ->
// Tally's ACS). Shared by the SSO and the Connec! end-to-end tests, which both need a signed-in user.
#pragma once
#include <map>
#include <string>

#include "mno/http/curl_http_client.hpp"
#include "support/platform/platform_fixture.hpp"

namespace testenv {

// "http://127.0.0.1:8080/x?y" -> "http://127.0.0.1:8080".
std::string origin_of(const std::string& url);
// The five entities mustache escapes, back to text.
std::string html_unescape(std::string s);

class Browser {
 public:
  struct Page {
    mno::http::Response response;
    std::string url;  // where the last response came from
    int status() const { return response.status; }
    const std::string& body() const { return response.body; }
  };

  // One request, no redirect following; extra headers are sent as given.
  mno::http::Response send(const std::string& method, const std::string& url, const std::string& body = "",
                           const std::string& content_type = "",
                           const std::vector<std::pair<std::string, std::string>>& headers = {});
  // Follows redirects (at most 10), like a browser navigating.
  Page go(std::string method, std::string url, std::string body = "", std::string content_type = "");
  // What a browser does with the IdP's answer: picks the group when asked, then submits the
  // auto-submitting SAMLResponse form. Returns the page it ends on.
  Page complete_sso(Page page, const std::string& group_uid = "");

  // Signs this browser in at the sandbox IdP as the user (what its user picker does), through the
  // control API.
  void idp_login(const SandboxProcess& sandbox, const std::string& user_uid);
  // The marketplace launching Tally for a group: init -> IdP -> (group picker) -> ACS -> app.
  Page launch(const std::string& tally_url, const std::string& marketplace, const std::string& group_uid,
              const std::string& pick_group = "");

  // The CSRF token of the signed-in session, read from an app page's forms.
  std::string csrf_token(const std::string& tally_url);

  std::map<std::string, std::map<std::string, std::string>> jar;
};

}  // namespace testenv
