// CRUD of every API collection through the real route table, on SQLite and PostgreSQL: create
// (201 + Location), get, full-replacement update with versions, archive, list filters, pagination
// meta and search, exact invoice totals, and the 409 for archiving a customer that open invoices use.
#include "api_fixture.hpp"

using namespace apitest;

namespace {

class ApiRecords : public ApiTest {};

TEST_P(ApiRecords, CustomerCreateGetUpdateArchive) {
  auto r = send("POST", "/api/v1/customers",
                json{{"name", "Globex"}, {"code", "GLX"}, {"email", "ap@globex.test"},
                     {"billing", {{"city", "Paris"}, {"country", "fr"}}}, {"unknown_field", 42}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto c = parse(r)["data"];
  const int64_t id = c["id"];
  EXPECT_EQ(*r.header("location"), "/api/v1/customers/" + std::to_string(id));
  EXPECT_EQ(*r.header("etag"), "\"1\"");
  EXPECT_EQ(*r.header("cache-control"), "no-store");
  EXPECT_EQ(c["name"], "Globex");
  EXPECT_EQ(c["billing"]["country"], "FR");
  EXPECT_EQ(c["shipping"]["city"], "");
  EXPECT_EQ(c["version"], 1);
  EXPECT_TRUE(c["archived_at"].is_null());
  EXPECT_TRUE(c["created_at"].is_string());

  auto got = send("GET", "/api/v1/customers/" + std::to_string(id));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(parse(got)["data"], c);

  // Full replacement: fields left out become empty.
  auto up = send("PUT", "/api/v1/customers/" + std::to_string(id), json{{"name", "Globex Corp"}, {"version", 1}});
  ASSERT_EQ(up.status, 200) << up.body;
  auto u = parse(up)["data"];
  EXPECT_EQ(u["name"], "Globex Corp");
  EXPECT_EQ(u["code"], "");
  EXPECT_EQ(u["billing"]["city"], "");
  EXPECT_EQ(u["version"], 2);

  // The version may come as If-Match instead.
  auto up2 = send("PUT", "/api/v1/customers/" + std::to_string(id), json{{"name", "Globex 3"}}, {{"If-Match", "\"2\""}});
  ASSERT_EQ(up2.status, 200) << up2.body;
  EXPECT_EQ(parse(up2)["data"]["version"], 3);

  auto ar = send("POST", "/api/v1/customers/" + std::to_string(id) + "/archive", std::string(), {{"If-Match", "\"3\""}});
  ASSERT_EQ(ar.status, 200) << ar.body;
  EXPECT_TRUE(parse(ar)["data"]["archived_at"].is_string());

  EXPECT_EQ(parse(send("GET", "/api/v1/customers"))["meta"]["total"], 0);
  auto all = parse(send("GET", "/api/v1/customers?include_archived=true"));
  EXPECT_EQ(all["meta"]["total"], 1);
}

TEST_P(ApiRecords, ContactsBelongToCustomersAndFilterByThem) {
  auto globex = create("customers", {{"name", "Globex"}});
  auto initech = create("customers", {{"name", "Initech"}});
  auto hank = create("contacts", {{"first_name", "Hank"}, {"last_name", "Scorpio"}, {"job_title", "CEO"},
                                  {"customer_id", globex["id"]}});
  EXPECT_EQ(hank["customer_id"], globex["id"]);
  EXPECT_EQ(hank["customer_name"], "Globex");
  EXPECT_EQ(hank["display_name"], "Hank Scorpio");
  auto bill = create("contacts", {{"first_name", "Bill"}, {"last_name", "Lumbergh"}, {"customer_id", initech["id"]}});
  auto solo = create("contacts", {{"first_name", "Solo"}, {"customer_id", nullptr}});
  EXPECT_TRUE(solo["customer_id"].is_null());

  auto list = parse(send("GET", "/api/v1/contacts?customer_id=" + std::to_string(globex["id"].get<int64_t>())));
  ASSERT_EQ(list["data"].size(), 1u);
  EXPECT_EQ(list["data"][0]["id"], hank["id"]);
  EXPECT_EQ(parse(send("GET", "/api/v1/contacts"))["meta"]["total"], 3);

  auto moved = send("PUT", "/api/v1/contacts/" + std::to_string(bill["id"].get<int64_t>()),
                    json{{"first_name", "Bill"}, {"last_name", "Lumbergh"}, {"customer_id", nullptr}, {"version", 1}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_TRUE(parse(moved)["data"]["customer_id"].is_null());

  auto ar = send("POST", "/api/v1/contacts/" + std::to_string(solo["id"].get<int64_t>()) + "/archive", json{{"version", 1}});
  ASSERT_EQ(ar.status, 200) << ar.body;
  EXPECT_EQ(parse(send("GET", "/api/v1/contacts"))["meta"]["total"], 2);
}

TEST_P(ApiRecords, ProductsUseDecimalStringsForMoney) {
  auto p = create("products", {{"name", "Consulting"}, {"code", "CONS"}, {"sale_price", "1,234.5"}, {"tax_rate", "5.5"},
                               {"unit", "hour"}});
  EXPECT_EQ(p["sale_price"], "1234.50");
  EXPECT_EQ(p["sale_price_cents"], 123450);
  EXPECT_EQ(p["tax_rate"], "5.5");
  EXPECT_EQ(p["unit"], "hour");
  const std::string path = "/api/v1/products/" + std::to_string(p["id"].get<int64_t>());
  auto up = send("PUT", path, json{{"name", "Consulting"}, {"sale_price", "-3"}, {"tax_rate", "20"}, {"version", 1}});
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(parse(up)["data"]["sale_price"], "-3.00");
  EXPECT_EQ(parse(up)["data"]["sale_price_cents"], -300);
  EXPECT_EQ(parse(up)["data"]["tax_rate"], "20");
  ASSERT_EQ(send("POST", path + "/archive", json{{"version", 2}}).status, 200);
  EXPECT_EQ(send("GET", path).status, 200) << "archived records stay readable by id";
}

TEST_P(ApiRecords, InvoiceTotalsAreExactAndListsCarryNoLines) {
  auto cust = create("customers", {{"name", "Globex"}});
  auto prod = create("products", {{"name", "Widget"}, {"sale_price", "99.99"}, {"tax_rate", "20"}});
  json body = {{"customer_id", cust["id"]},
               {"issue_date", "2024-03-01"},
               {"due_date", "2024-03-31"},
               {"notes", "Thanks"},
               {"lines",
                {{{"description", "Design"}, {"quantity", "2.5"}, {"unit_price", "10.00"}, {"tax_rate", "20"}},
                 {{"description", "Odd"}, {"quantity", "0.333"}, {"unit_price", "10.01"}, {"tax_rate", "5.5"}},
                 {{"product_id", prod["id"]}, {"quantity", "1"}}}}};
  auto r = send("POST", "/api/v1/invoices", body);
  ASSERT_EQ(r.status, 201) << r.body;
  auto inv = parse(r)["data"];
  EXPECT_EQ(inv["status"], "draft");
  EXPECT_EQ(inv["currency"], "EUR");
  EXPECT_EQ(inv["customer_name"], "Globex");
  ASSERT_EQ(inv["lines"].size(), 3u);
  EXPECT_EQ(inv["lines"][0]["net"], "25.00");
  EXPECT_EQ(inv["lines"][0]["tax"], "5.00");
  EXPECT_EQ(inv["lines"][0]["quantity"], "2.5");
  EXPECT_EQ(inv["lines"][1]["net_cents"], 333);   // 0.333 × 10.01 = 3.33333
  EXPECT_EQ(inv["lines"][1]["tax_cents"], 18);    // 3.33 × 5.5 % = 0.18315
  EXPECT_EQ(inv["lines"][1]["total"], "3.51");
  EXPECT_EQ(inv["lines"][2]["description"], "Widget");
  EXPECT_EQ(inv["lines"][2]["unit_price"], "99.99");
  EXPECT_EQ(inv["lines"][2]["tax_cents"], 2000);  // 99.99 × 20 % = 19.998
  EXPECT_EQ(inv["net"], "128.32");
  EXPECT_EQ(inv["net_cents"], 12832);
  EXPECT_EQ(inv["tax"], "25.18");
  EXPECT_EQ(inv["total"], "153.50");
  EXPECT_EQ(inv["total_cents"], 15350);
  EXPECT_EQ(inv["line_count"], 3);

  auto list = parse(send("GET", "/api/v1/invoices"));
  ASSERT_EQ(list["data"].size(), 1u);
  EXPECT_FALSE(list["data"][0].contains("lines"));
  EXPECT_EQ(list["data"][0]["total"], "153.50");
  EXPECT_EQ(list["data"][0]["line_count"], 3);

  const std::string path = "/api/v1/invoices/" + std::to_string(inv["id"].get<int64_t>());
  body["lines"] = {{{"description", "Only"}, {"quantity", "1"}, {"unit_price", "0.05"}, {"tax_rate", "10"}}};
  body["version"] = 1;
  auto up = send("PUT", path, body);
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(parse(up)["data"]["total"], "0.06");  // 0.005 tax rounds half away from zero

  auto sent = send("POST", path + "/status", json{{"status", "sent"}, {"version", 2}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(parse(sent)["data"]["status"], "sent");
  EXPECT_EQ(parse(sent)["data"]["lines"].size(), 1u);

  auto edit_sent = send("PUT", path, json{{"customer_id", cust["id"]}, {"version", 3}, {"lines", body["lines"]}});
  EXPECT_EQ(edit_sent.status, 422);
  EXPECT_TRUE(parse(edit_sent)["error"]["fields"].contains("status"));
  auto bad_move = send("POST", path + "/status", json{{"status", "draft"}, {"version", 3}});
  EXPECT_EQ(bad_move.status, 422);
  EXPECT_EQ(error_code(bad_move), "validation.failed");

  EXPECT_EQ(parse(send("GET", "/api/v1/invoices?status=sent"))["meta"]["total"], 1);
  EXPECT_EQ(parse(send("GET", "/api/v1/invoices?status=draft"))["meta"]["total"], 0);
  auto other = create("customers", {{"name", "Initech"}});
  EXPECT_EQ(parse(send("GET", "/api/v1/invoices?customer_id=" + std::to_string(other["id"].get<int64_t>())))["meta"]["total"], 0);
  EXPECT_EQ(parse(send("GET", "/api/v1/invoices?customer_id=" + std::to_string(cust["id"].get<int64_t>())))["meta"]["total"], 1);
  auto bad_status = send("GET", "/api/v1/invoices?status=lost");
  EXPECT_EQ(bad_status.status, 400);
  EXPECT_TRUE(parse(bad_status)["error"]["fields"].contains("status"));

  ASSERT_EQ(send("POST", path + "/archive", json{{"version", 3}}).status, 200);
  EXPECT_EQ(parse(send("GET", "/api/v1/invoices"))["meta"]["total"], 0);
}

TEST_P(ApiRecords, ListsPaginateSearchAndSort) {
  for (const char* n : {"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"}) create("customers", {{"name", n}});
  auto p3 = parse(send("GET", "/api/v1/customers?per_page=3&page=3"));
  EXPECT_EQ(p3["meta"], (json{{"page", 3}, {"per_page", 3}, {"total", 7}}));
  ASSERT_EQ(p3["data"].size(), 1u);
  EXPECT_EQ(p3["data"][0]["name"], "Golf");

  auto desc = parse(send("GET", "/api/v1/customers?sort=name&dir=desc&per_page=2"));
  EXPECT_EQ(desc["data"][0]["name"], "Golf");
  EXPECT_EQ(desc["data"][1]["name"], "Foxtrot");

  auto found = parse(send("GET", "/api/v1/customers?q=HARL"));
  ASSERT_EQ(found["data"].size(), 1u);
  EXPECT_EQ(found["data"][0]["name"], "Charlie");
  EXPECT_EQ(parse(send("GET", "/api/v1/customers?q=%25"))["meta"]["total"], 0) << "% is literal";

  for (const char* bad : {"per_page=101", "per_page=0", "page=x", "dir=up", "sort=bogus", "include_archived=maybe",
                          "customer_id=abc"}) {
    auto r = send("GET", std::string("/api/v1/") + (std::string(bad).rfind("customer_id", 0) == 0 ? "contacts?" : "customers?") + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(error_code(r), "request.invalid") << bad;
    EXPECT_EQ(parse(r)["error"]["fields"].size(), 1u) << bad;
  }
}

TEST_P(ApiRecords, ArchivingACustomerWithOpenInvoicesIsRefused) {
  auto cust = create("customers", {{"name", "Globex"}});
  create("invoices", {{"customer_id", cust["id"]},
                      {"lines", {{{"description", "X"}, {"quantity", "1"}, {"unit_price", "5"}}}}});
  auto r = send("POST", "/api/v1/customers/" + std::to_string(cust["id"].get<int64_t>()) + "/archive", json{{"version", 1}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "record.in_use");
  EXPECT_NE(parse(r)["error"]["message"].get<std::string>().find("invoice"), std::string::npos) << r.body;
}

TALLY_INSTANTIATE_DATABASE_TESTS(ApiRecords);

}  // namespace
