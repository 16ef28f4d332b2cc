// See app_harness.hpp.
#include "support/app/app_harness.hpp"

#include "support/cookie_jar.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>

#include "mno/http/curl_http_client.hpp"
#include "mno/util/random.hpp"
#include "support/test_database.hpp"
#include "tally/app/routes.hpp"
#include "tally/store/schema.hpp"
#include "web/url.hpp"

namespace testenv {

AppHarness::AppHarness(const std::string& kind) : clock(std::chrono::time_point_cast<mno::TimePoint::duration>(std::chrono::system_clock::now())) {
  db = open_test_database(kind);
  if (!db) throw std::runtime_error("no " + kind + " database for the app harness");
  if (auto s = mno::db::migrate(*db, tally::schema_migrations()); !s) throw std::runtime_error(s.error().message);
  // Minimum Argon2id cost keeps sign-ups fast in tests; the algorithm is the production one.
  services = std::make_unique<tally::Services>(db, clock, mno::SecureRandom::instance(),
                                               std::make_shared<tally::NullChangeSink>(), tally::PasswordHashLimits::minimum(),
                                               mno::SecureRandom::instance().hex_token(32), registry);
  router_ = std::make_unique<web::Router>();
  auto metrics = std::make_shared<web::Metrics>();
  tally::add_all_routes(*router_, *services, metrics);
  web::ServerOptions options;
  options.access_log = false;
  options.worker_threads = 4;
  server_ = std::make_unique<web::Server>(*router_, options, metrics);
  auto port = server_->start();
  if (!port) throw std::runtime_error(port.error().message);
  url = "http://127.0.0.1:" + std::to_string(*port);
}

AppHarness::~AppHarness() {
  if (server_) {
    server_->stop();
    server_->wait();
  }
}

AppHarness::Account AppHarness::create_account(const std::string& email, const std::string& company_name,
                                               const std::string& password) {
  tally::SignUpInput in{email, password, "Test", "User", company_name, "EUR", "UTC", "FR"};
  auto r = services->accounts.sign_up(in);
  if (!r) throw std::runtime_error("sign_up failed: " + r.error().message);
  return Account{r->user.id, r->company.id, email, password};
}

static mno::http::CurlHttpClient& client() {
  static mno::http::CurlHttpClient c([] {
    mno::http::CurlOptions o;
    o.proxy = "";
    return o;
  }());
  return c;
}

mno::http::Response Browser::finish(mno::http::Response r) {
  for (const auto& [k, v] : r.headers)
    if (k == "set-cookie") testenv::apply_set_cookie(v, cookies);
  if (auto t = form_value(r.body, "_csrf")) csrf_ = *t;
  return r;
}

mno::http::Response Browser::send(const std::string& method, const std::string& path, const std::string& body,
                                  std::vector<std::pair<std::string, std::string>> headers) {
  mno::http::Request req;
  req.method = method;
  req.url = base_ + path;
  req.body = body;
  req.headers = std::move(headers);
  req.timeout = std::chrono::seconds(20);
  std::string cookie;
  for (const auto& [k, v] : cookies) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
  if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
  auto r = client().send(req);
  if (!r) throw std::runtime_error(method + " " + path + ": " + r.error().message);
  return finish(std::move(*r));
}

mno::http::Response Browser::get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers) {
  return send("GET", path, "", std::move(headers));
}

mno::http::Response Browser::post_form(const std::string& path, std::vector<std::pair<std::string, std::string>> fields,
                                       bool with_csrf) {
  if (with_csrf) fields.emplace_back("_csrf", csrf_);
  return send("POST", path, url_encode_form(fields), {{"Content-Type", "application/x-www-form-urlencoded"}});
}

bool Browser::login(const std::string& email, const std::string& password) {
  get("/login");
  auto r = post_form("/login", {{"email", email}, {"password", password}});
  return r.status == 303;
}

std::optional<std::string> form_value(const std::string& html, const std::string& name) {
  std::regex re("name=\"" + name + "\"[^>]*value=\"([^\"]*)\"");
  std::smatch m;
  if (std::regex_search(html, m, re)) return m[1].str();
  return std::nullopt;
}

std::string url_encode_form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += web::url_encode(k) + "=" + web::url_encode(v);
  }
  return out;
}

}  // namespace testenv
