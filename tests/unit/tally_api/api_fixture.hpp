// Shared fixture of the JSON API tests: a harness per test (SQLite or PostgreSQL), one account with
// an API token, and helpers that send JSON with that token and parse the JSON answer.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/app/app_harness.hpp"
#include "support/test_database.hpp"

namespace apitest {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

class ApiTest : public testenv::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    app = std::make_unique<testenv::AppHarness>(GetParam());
    acct = app->create_account("ann@example.com", "Acme");
    token = make_token(acct);
  }

  std::string make_token(const testenv::AppHarness::Account& a) {
    auto t = app->services->tokens.create(a.user_id, a.company_id, "test");
    EXPECT_TRUE(t.ok());
    return t.ok() ? t->plaintext : "";
  }

  // Sends with the given bearer token (none when empty) and no cookies.
  mno::http::Response send_as(const std::string& bearer, const std::string& method, const std::string& path,
                              const std::string& body = "", Headers headers = {}) {
    testenv::Browser b(app->url);
    if (!bearer.empty()) headers.emplace_back("Authorization", "Bearer " + bearer);
    if (!body.empty() && !has(headers, "Content-Type")) headers.emplace_back("Content-Type", "application/json");
    return b.send(method, path, body, std::move(headers));
  }
  mno::http::Response send(const std::string& method, const std::string& path, const std::string& body = "",
                           Headers headers = {}) {
    return send_as(token, method, path, body, std::move(headers));
  }
  mno::http::Response send(const std::string& method, const std::string& path, const json& body, Headers headers = {}) {
    return send_as(token, method, path, body.dump(), std::move(headers));
  }

  // The "data" of a successful create; fails the test otherwise.
  json create(const std::string& collection, const json& body, const std::string& bearer = "") {
    auto r = send_as(bearer.empty() ? token : bearer, "POST", "/api/v1/" + collection, body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return parse(r)["data"];
  }

  static json parse(const mno::http::Response& r) {
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.body;
    return j.is_discarded() ? json::object() : j;
  }
  static std::string error_code(const mno::http::Response& r) { return parse(r)["error"].value("code", ""); }

  static bool has(const Headers& h, const std::string& name) {
    for (const auto& [k, v] : h)
      if (k == name) return true;
    return false;
  }

  std::unique_ptr<testenv::AppHarness> app;
  testenv::AppHarness::Account acct;
  std::string token;
};

}  // namespace apitest
