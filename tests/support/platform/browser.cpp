// See browser.hpp.
#include "support/platform/browser.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "support/cookie_jar.hpp"
#include "web/url.hpp"

namespace testenv {

std::string origin_of(const std::string& url) {
  auto scheme_end = url.find("://");
  auto path = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

std::string html_unescape(std::string s) {
  for (auto [from, to] : {std::pair{"&amp;", "&"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}})
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + 1)) s.replace(p, std::string(from).size(), to);
  return s;
}

mno::http::Response Browser::send(const std::string& method, const std::string& url, const std::string& body,
                                  const std::string& content_type,
                                  const std::vector<std::pair<std::string, std::string>>& headers) {
  mno::http::Request req;
  req.method = method;
  req.url = url;
  req.body = body;
  req.timeout = std::chrono::seconds(15);
  req.headers = headers;
  if (!content_type.empty()) req.headers.emplace_back("Content-Type", content_type);
  std::string cookie;
  for (const auto& [k, v] : jar[origin_of(url)]) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
  if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
  auto r = http_send(req);
  for (const auto& [k, v] : r.headers)
    if (k == "set-cookie") apply_set_cookie(v, jar[origin_of(url)]);
  return r;
}

Browser::Page Browser::go(std::string method, std::string url, std::string body, std::string content_type) {
  for (int hops = 0; hops < 10; ++hops) {
    auto r = send(method, url, body, content_type);
    auto location = r.header("location");
    if (r.status / 100 != 3 || !location) return {r, url};
    url = location->rfind("http", 0) == 0 ? *location : origin_of(url) + *location;
    method = "GET";
    body.clear();
    content_type.clear();
  }
  ADD_FAILURE() << "redirect loop at " << url;
  return {};
}

Browser::Page Browser::complete_sso(Page page, const std::string& group_uid) {
  static const std::regex group_link("href=\"([^\"]*group_id=([A-Za-z0-9-]+)[^\"]*)\"");
  if (page.body().find("SAMLResponse") == std::string::npos && !group_uid.empty()) {
    for (std::sregex_iterator it(page.body().begin(), page.body().end(), group_link), end; it != end; ++it) {
      if ((*it)[2].str() != group_uid) continue;
      auto href = html_unescape((*it)[1].str());
      page = go("GET", href.rfind("http", 0) == 0 ? href : origin_of(page.url) + href);
      break;
    }
  }
  std::smatch action, value;
  if (!std::regex_search(page.body(), action, std::regex("<form[^>]*action=\"([^\"]+)\"")) ||
      !std::regex_search(page.body(), value, std::regex("name=\"SAMLResponse\" value=\"([^\"]*)\"")))
    return page;  // no form: the IdP refused, or still asks something
  return go("POST", html_unescape(action[1].str()), "SAMLResponse=" + web::url_encode(value[1].str()),
            "application/x-www-form-urlencoded");
}

void Browser::idp_login(const SandboxProcess& sandbox, const std::string& user_uid) {
  auto res = sandbox_control(sandbox, "POST", "/control/v1/idp-login", {{"user_uid", user_uid}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto j = nlohmann::json::parse(res.body);
  jar[sandbox.url][j["cookie_name"].get<std::string>()] = j["cookie_value"].get<std::string>();
}

Browser::Page Browser::launch(const std::string& tally_url, const std::string& marketplace, const std::string& group_uid,
                              const std::string& pick_group) {
  auto at_idp = go("GET", tally_url + "/maestrano/auth/saml/init/" + marketplace + (group_uid.empty() ? "" : "?group_id=" + group_uid));
  EXPECT_NE(origin_of(at_idp.url), tally_url) << "init redirects to the IdP";
  return complete_sso(at_idp, pick_group);
}

std::string Browser::csrf_token(const std::string& tally_url) {
  auto page = go("GET", tally_url + "/app");
  std::smatch m;
  if (!std::regex_search(page.body(), m, std::regex("name=\"_csrf\" value=\"([^\"]+)\""))) {
    ADD_FAILURE() << "no CSRF token on " << page.url << " (" << page.status() << ")";
    return "";
  }
  return html_unescape(m[1].str());
}

}  // namespace testenv
