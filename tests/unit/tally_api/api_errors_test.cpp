// The API pipeline's refusals, on SQLite and PostgreSQL: 401 for missing/invalid/revoked tokens,
// 404 for another company's ids, 409 for stale versions, 400 for bad JSON and wrong types, 415,
// 413, 422 with field details, JSON 404/405 for unknown routes, and the session-cookie path with
// its X-CSRF-Token requirement.
#include <tuple>

#include "api_fixture.hpp"

using namespace apitest;

namespace {

class ApiErrors : public ApiTest {};

TEST_P(ApiErrors, MissingInvalidAndRevokedTokensAre401) {
  auto none = send_as("", "GET", "/api/v1/customers");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(error_code(none), "auth.unauthenticated");
  EXPECT_EQ(none.header("www-authenticate")->rfind("Bearer", 0), 0u);
  EXPECT_EQ(*none.header("cache-control"), "no-store");

  auto bogus = send_as("tly_not-a-real-token", "GET", "/api/v1/customers");
  EXPECT_EQ(bogus.status, 401);
  EXPECT_NE(bogus.header("www-authenticate")->find("invalid_token"), std::string::npos);

  testenv::Browser b(app->url);
  EXPECT_EQ(b.send("GET", "/api/v1/customers", "", {{"Authorization", "Basic YTpi"}}).status, 401);
  EXPECT_EQ(b.send("GET", "/api/v1/customers", "", {{"Authorization", "Bearer " + token}, {"Authorization", "Bearer " + token}}).status, 401)
      << "two Authorization headers are refused";
  EXPECT_EQ(b.send("GET", "/api/v1/customers", "", {{"Authorization", "bearer " + token}}).status, 200) << "scheme is case-insensitive";

  auto tokens = app->services->tokens.list(acct.user_id);
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  ASSERT_TRUE(app->services->tokens.revoke(acct.user_id, tokens->front().id).ok());
  auto revoked = send("GET", "/api/v1/customers");
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(error_code(revoked), "auth.unauthenticated");
}

TEST_P(ApiErrors, AnotherCompanysIdsAre404) {
  auto mine = create("customers", {{"name", "Mine"}});
  auto mine_product = create("products", {{"name", "Mine"}});
  auto other_acct = app->create_account("bob@example.com", "Other Co");
  auto other = make_token(other_acct);
  const std::string path = "/api/v1/customers/" + std::to_string(mine["id"].get<int64_t>());

  for (const auto& [method, p, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", path, ""},
           {"PUT", path, json{{"name", "Stolen"}, {"version", 1}}.dump()},
           {"POST", path + "/archive", json{{"version", 1}}.dump()},
           {"GET", "/api/v1/products/" + std::to_string(mine_product["id"].get<int64_t>()), ""},
           {"GET", "/api/v1/invoices/1", ""},
           {"GET", "/api/v1/contacts/999999", ""},
           {"GET", "/api/v1/contacts/abc", ""}}) {
    auto r = send_as(other, method, p, body);
    EXPECT_EQ(r.status, 404) << method << " " << p << ": " << r.body;
    EXPECT_EQ(error_code(r), "record.not_found");
  }
  EXPECT_EQ(parse(send_as(other, "GET", "/api/v1/customers"))["meta"]["total"], 0);
  // Referencing another company's records is a validation error on that field, not a link.
  auto cross = send_as(other, "POST", "/api/v1/contacts", json{{"first_name", "X"}, {"customer_id", mine["id"]}}.dump());
  EXPECT_EQ(cross.status, 422);
  EXPECT_TRUE(parse(cross)["error"]["fields"].contains("customer_id"));
  auto cross_inv = send_as(other, "POST", "/api/v1/invoices",
                           json{{"customer_id", mine["id"]}, {"lines", {{{"product_id", mine_product["id"]}, {"quantity", "1"}}}}}.dump());
  EXPECT_EQ(cross_inv.status, 422);
  EXPECT_TRUE(parse(cross_inv)["error"]["fields"].contains("customer_id"));
  EXPECT_TRUE(parse(cross_inv)["error"]["fields"].contains("lines[0].product_id")) << cross_inv.body;
  // Untouched.
  EXPECT_EQ(parse(send("GET", path))["data"]["name"], "Mine");
}

TEST_P(ApiErrors, StaleVersionsAre409AndVersionIsRequired) {
  auto c = create("customers", {{"name", "Globex"}});
  const std::string path = "/api/v1/customers/" + std::to_string(c["id"].get<int64_t>());
  ASSERT_EQ(send("PUT", path, json{{"name", "First"}, {"version", 1}}).status, 200);
  auto stale = send("PUT", path, json{{"name", "Second"}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(error_code(stale), "record.stale");
  EXPECT_EQ(send("POST", path + "/archive", std::string(), {{"If-Match", "\"1\""}}).status, 409);

  auto missing = send("PUT", path, json{{"name", "Third"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(parse(missing)["error"]["fields"].contains("version"));
  EXPECT_EQ(send("PUT", path, json{{"name", "Third"}, {"version", "2"}}).status, 400) << "version is an integer";
  EXPECT_EQ(send("PUT", path, json{{"name", "Third"}, {"version", 2}}, {{"If-Match", "\"3\""}}).status, 400)
      << "body and If-Match disagree";
  EXPECT_EQ(send("POST", path + "/archive").status, 400);
  EXPECT_EQ(parse(send("GET", path))["data"]["name"], "First");
}

TEST_P(ApiErrors, ValidationFailuresAre422WithFields) {
  auto r = send("POST", "/api/v1/customers", json{{"name", ""}, {"email", "not-an-email"}, {"website", "ftp://x"}});
  EXPECT_EQ(r.status, 422);
  auto e = parse(r)["error"];
  EXPECT_EQ(e["code"], "validation.failed");
  EXPECT_TRUE(e["fields"].contains("name"));
  EXPECT_TRUE(e["fields"].contains("email"));
  EXPECT_TRUE(e["fields"].contains("website"));

  auto cust = create("customers", {{"name", "Globex"}});
  auto inv = send("POST", "/api/v1/invoices",
                  json{{"customer_id", cust["id"]},
                       {"lines", {{{"description", "A"}, {"quantity", "0"}, {"unit_price", "1.234"}}}}});
  EXPECT_EQ(inv.status, 422);
  auto f = parse(inv)["error"]["fields"];
  EXPECT_TRUE(f.contains("lines[0].quantity")) << inv.body;
  EXPECT_TRUE(f.contains("lines[0].unit_price")) << inv.body;
  EXPECT_EQ(parse(send("GET", "/api/v1/invoices"))["meta"]["total"], 0);

  auto p = send("POST", "/api/v1/products", json{{"name", "X"}, {"sale_price", "12.345"}, {"tax_rate", "120"}});
  EXPECT_EQ(p.status, 422);
  EXPECT_TRUE(parse(p)["error"]["fields"].contains("sale_price"));
  EXPECT_TRUE(parse(p)["error"]["fields"].contains("tax_rate"));
}

TEST_P(ApiErrors, BadJsonIs400WithThePosition) {
  auto r = send("POST", "/api/v1/customers", std::string("{\"name\": \"x\",, }"));
  EXPECT_EQ(r.status, 400);
  auto e = parse(r)["error"];
  EXPECT_EQ(e["code"], "request.bad_json");
  EXPECT_NE(e["message"].get<std::string>().find("column 14"), std::string::npos) << r.body;
  EXPECT_TRUE(e["fields"].contains("body"));

  EXPECT_EQ(error_code(send("POST", "/api/v1/customers", std::string("{\"name\": \"\xff\"}"))), "request.bad_json")
      << "invalid UTF-8";
  EXPECT_EQ(error_code(send("POST", "/api/v1/customers", std::string(100, '[') + std::string(100, ']'))), "request.bad_json");
  auto arr = send("POST", "/api/v1/customers", std::string("[1,2]"));
  EXPECT_EQ(arr.status, 400);
  EXPECT_EQ(error_code(arr), "request.invalid");
  EXPECT_EQ(send("POST", "/api/v1/customers", std::string(""), {{"Content-Type", "application/json"}}).status, 400);
}

TEST_P(ApiErrors, WrongTypesAre400NamingTheField) {
  auto r = send("POST", "/api/v1/customers", json{{"name", 5}, {"billing", {{"city", true}}}, {"shipping", "x"}});
  EXPECT_EQ(r.status, 400);
  auto e = parse(r)["error"];
  EXPECT_EQ(e["code"], "request.invalid");
  EXPECT_EQ(e["fields"]["name"], "must be a string");
  EXPECT_TRUE(e["fields"].contains("billing.city"));
  EXPECT_TRUE(e["fields"].contains("shipping"));

  auto p = send("POST", "/api/v1/products", json{{"name", "X"}, {"sale_price", 12.5}});
  EXPECT_EQ(p.status, 400);
  EXPECT_TRUE(parse(p)["error"]["fields"].contains("sale_price")) << "money is a string, never a float";

  auto c = send("POST", "/api/v1/contacts", json{{"first_name", "A"}, {"customer_id", "12"}});
  EXPECT_EQ(c.status, 400);
  EXPECT_TRUE(parse(c)["error"]["fields"].contains("customer_id"));

  auto i = send("POST", "/api/v1/invoices", json{{"customer_id", 1}, {"lines", {{{"quantity", 2}}, 7}}});
  EXPECT_EQ(i.status, 400);
  EXPECT_TRUE(parse(i)["error"]["fields"].contains("lines[0].quantity")) << i.body;
  EXPECT_TRUE(parse(i)["error"]["fields"].contains("lines[1]")) << i.body;
  EXPECT_EQ(parse(send("GET", "/api/v1/customers"))["meta"]["total"], 0);
}

TEST_P(ApiErrors, NonJsonContentTypeIs415AndOversizeBodiesAre413) {
  auto form = send("POST", "/api/v1/customers", std::string("name=x"), {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 415);
  EXPECT_EQ(error_code(form), "request.unsupported_media_type");
  EXPECT_EQ(send("PUT", "/api/v1/customers/1", std::string("{}"), {{"Content-Type", "text/plain"}}).status, 415);
  EXPECT_EQ(send("POST", "/api/v1/customers", std::string("{\"name\":\"Ok\"}"), {{"Content-Type", "Application/JSON; charset=utf-8"}}).status, 201);

  std::string big = "{\"name\":\"" + std::string((1 << 20) + 10, 'a') + "\"}";
  EXPECT_EQ(send("POST", "/api/v1/customers", big).status, 413);
  EXPECT_EQ(parse(send("GET", "/api/v1/customers"))["meta"]["total"], 1);
}

TEST_P(ApiErrors, UnknownRoutesAndMethodsAnswerJson) {
  auto r = send("GET", "/api/v1/widgets");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_code(r), "route.not_found");
  auto del = send("DELETE", "/api/v1/customers/1");
  EXPECT_EQ(del.status, 405);
  EXPECT_EQ(error_code(del), "request.method_not_allowed");
  EXPECT_EQ(*del.header("allow"), "GET, PUT");
}

TEST_P(ApiErrors, SessionCookieWorksAndUnsafeMethodsNeedCsrf) {
  testenv::Browser b(app->url);
  ASSERT_TRUE(b.login(acct.email, acct.password));
  ASSERT_EQ(b.get("/app").status, 200);
  const std::string csrf = b.csrf();
  ASSERT_FALSE(csrf.empty());

  auto list = b.send("GET", "/api/v1/customers", "");
  EXPECT_EQ(list.status, 200) << list.body;
  const std::string body = json{{"name", "Via cookie"}}.dump();
  auto no_csrf = b.send("POST", "/api/v1/customers", body, {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(error_code(no_csrf), "auth.csrf");
  auto wrong = b.send("POST", "/api/v1/customers", body, {{"Content-Type", "application/json"}, {"X-CSRF-Token", "nope"}});
  EXPECT_EQ(wrong.status, 403);
  auto ok = b.send("POST", "/api/v1/customers", body, {{"Content-Type", "application/json"}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(parse(send("GET", "/api/v1/customers"))["meta"]["total"], 1) << "same company as the token";

  // A token call needs no CSRF, even from a client that also has the cookie.
  auto with_token = b.send("POST", "/api/v1/customers", json{{"name", "Via token"}}.dump(),
                           {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
  EXPECT_EQ(with_token.status, 201);

  b.post_form("/logout", {});
  EXPECT_EQ(b.send("GET", "/api/v1/customers", "").status, 401);
}

TALLY_INSTANTIATE_DATABASE_TESTS(ApiErrors);

}  // namespace
