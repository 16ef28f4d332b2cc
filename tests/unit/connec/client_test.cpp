// Connec! client against FakeHttpClient: paths under the group id, Basic auth and external-id header, list
// query encoding and pagination (including a hostile `next`), upsert/PUT envelopes, batch, and error codes.
#include <gtest/gtest.h>

#include "mno/connec/client.hpp"
#include "mno/connec/errors.hpp"
#include "mno/http/fake_http_client.hpp"

namespace {

using mno::http::FakeHttpClient;
using nlohmann::json;

constexpr const char* kHost = "https://connec.test";

std::string header(const mno::http::Request& r, const std::string& name) {
  for (auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

class ConnecClientTest : public ::testing::Test {
 protected:
  ConnecClientTest() : client_(http_, options()) {}
  static mno::connec::ClientOptions options() {
    mno::connec::ClientOptions o;
    o.host = kHost;
    o.api_id = "app-1";
    o.api_key = "secret";
    o.timeout = std::chrono::milliseconds(1500);
    return o;
  }
  FakeHttpClient http_;
  mno::connec::Client client_;
};

TEST_F(ConnecClientTest, PathsAreUnderTheGroupAndRejectUnsafeSegments) {
  EXPECT_EQ(*client_.collection_path("cld-123", "people"), "/api/v2/cld-123/people");
  EXPECT_EQ(*client_.record_path("cld-123", "people", "a b/c"), "/api/v2/cld-123/people/a%20b%2Fc");
  EXPECT_EQ(client_.collection_path("../x", "people").error().code, "connec.invalid_argument");
  EXPECT_EQ(client_.collection_path("cld-1", "people/1").error().code, "connec.invalid_argument");
  EXPECT_EQ(client_.collection_path("", "people").error().code, "connec.invalid_argument");
}

TEST_F(ConnecClientTest, MarketplaceOptions) {
  mno::config::Marketplace m;
  m.api.id = "app-9";
  m.api.key = "k";
  m.connec.host = "http://c.local/";
  m.connec.base_path = "api/v2/";
  m.connec.timeout = std::chrono::seconds(180);
  auto o = mno::connec::client_options(m);
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(180000));
  FakeHttpClient http;
  mno::connec::Client c(http, o);
  EXPECT_EQ(*c.collection_path("cld-1", "items"), "/api/v2/cld-1/items");
}

TEST_F(ConnecClientTest, ListSendsAuthHeadersAndEncodedQueryAndFollowsNext) {
  std::string first = std::string(kHost) +
                      "/api/v2/cld-1/people?%24filter=updated_at%20gt%20%272016-05-12T10%3A00%3A00Z%27"
                      "&%24orderby=updated_at%20ASC&%24top=2";
  http_.on("GET", first,
           FakeHttpClient::json_response(200, {{"people", {{{"first_name", "A"}}, {{"first_name", "B"}}}},
                                               {"pagination", {{"skip", 0}, {"top", 2}, {"total", 3},
                                                               {"next", std::string(kHost) +
                                                                            "/api/v2/cld-1/people?%24skip=2&%24top=2"}}}}));
  http_.on("GET", std::string(kHost) + "/api/v2/cld-1/people?%24skip=2&%24top=2",
           FakeHttpClient::json_response(200, {{"people", {{{"first_name", "C"}}}},
                                               {"pagination", {{"skip", 2}, {"top", 2}, {"total", 3}}}}));
  mno::connec::ListQuery q;
  q.filter = "updated_at gt '2016-05-12T10:00:00Z'";
  q.orderby = "updated_at ASC";
  q.top = 2;
  auto all = client_.list_all("cld-1", "people", q);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2]["first_name"], "C");
  auto reqs = http_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  for (auto& r : reqs) {
    EXPECT_EQ(r.method, "GET");
    ASSERT_TRUE(r.basic_auth);
    EXPECT_EQ(r.basic_auth->first, "app-1");
    EXPECT_EQ(r.basic_auth->second, "secret");
    EXPECT_EQ(header(r, "CONNEC-EXTERNAL-IDS"), "true");
    EXPECT_EQ(r.timeout, std::chrono::milliseconds(1500));
  }
}

TEST_F(ConnecClientTest, NextToAnotherHostOrCollectionIsNotFollowed) {
  std::string first = std::string(kHost) + "/api/v2/cld-1/people?%24top=100";
  http_.on("GET", first,
           FakeHttpClient::json_response(200, {{"people", {{{"a", 1}}}},
                                               {"pagination", {{"next", "https://evil.test/api/v2/cld-1/people?x"}}}}));
  auto all = client_.list_all("cld-1", "people");
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().code, "connec.bad_response");
  EXPECT_EQ(http_.request_count(), 1u);
  auto other = client_.list_next("cld-1", "people", std::string(kHost) + "/api/v2/cld-2/people?%24skip=1");
  EXPECT_EQ(other.error().code, "connec.bad_response");
}

TEST_F(ConnecClientTest, UpsertPostsEnvelopeAndReturnsConnecId) {
  json rec = {{"id", {{{"id", "17"}, {"provider", "tally"}, {"realm", "co-1"}}}}, {"first_name", "Bob"}};
  http_.on("POST", std::string(kHost) + "/api/v2/cld-1/people",
           FakeHttpClient::json_response(
               201, {{"people", {{"id", {{{"id", "17"}, {"provider", "tally"}, {"realm", "co-1"}},
                                         {{"id", "uuid-1"}, {"provider", "connec"}, {"realm", "org-1"}}}},
                                 {"first_name", "Bob"}}}}));
  auto w = client_.upsert("cld-1", "people", rec);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->status, 201);
  EXPECT_EQ(w->connec_id, "uuid-1");
  auto sent = json::parse(http_.last_request().body);
  EXPECT_EQ(sent, json({{"people", rec}}));
  EXPECT_EQ(header(http_.last_request(), "Content-Type"), "application/json");
}

TEST_F(ConnecClientTest, PutAndGet) {
  http_.on("PUT", std::string(kHost) + "/api/v2/cld-1/items/u-9",
           FakeHttpClient::json_response(200, {{"items", {{"id", "u-9"}, {"name", "X"}}}}));
  auto w = client_.update("cld-1", "items", "u-9", {{"name", "X"}});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->connec_id, "u-9");
  http_.on("GET", std::string(kHost) + "/api/v2/cld-1/company",
           FakeHttpClient::json_response(200, {{"company", {{"name", "Acme"}}}}));
  auto g = client_.get("cld-1", "company", "");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)["name"], "Acme");
}

TEST_F(ConnecClientTest, BatchSendsOpsAtHostRootAndMapsResultsInOrder) {
  http_.on("POST", std::string(kHost) + "/batch",
           FakeHttpClient::json_response(
               200, {{"results",
                      {{{"status", 201}, {"body", {{"people", {{"id", {{{"id", "c1"}, {"provider", "connec"}}}}}}}}},
                       {{"status", 400}, {"body", {{"errors", {{{"title", "bad"}, {"source", {{"pointer", "/people/last_name"}}}, {"detail", "required"}}}}}}},
                       {{"status", 200}, {"body", {{"items", {{"id", {{{"id", "c3"}, {"provider", "connec"}}}}}}}}}}}}));
  std::vector<mno::connec::BatchOp> ops = {
      {"post", "cld-1", "people", "", {{"first_name", "A"}}},
      {"post", "cld-1", "people", "", {{"first_name", "B"}}},
      {"put", "cld-1", "items", "c3", {{"name", "I"}}},
  };
  auto r = client_.batch(ops);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].connec_id, "c1");
  ASSERT_TRUE((*r)[1].error);
  EXPECT_EQ((*r)[1].error->code, "connec.invalid");
  EXPECT_EQ((*r)[1].error->fields.at("field.last_name"), "required");
  EXPECT_EQ((*r)[2].connec_id, "c3");
  auto sent = json::parse(http_.last_request().body);
  EXPECT_EQ(sent["sequential"], true);
  EXPECT_EQ(sent["ops"][0]["url"], "/api/v2/cld-1/people/");
  EXPECT_EQ(sent["ops"][0]["method"], "post");
  EXPECT_EQ(sent["ops"][2]["url"], "/api/v2/cld-1/items/c3");
  EXPECT_EQ(sent["ops"][2]["params"]["items"]["name"], "I");
}

TEST_F(ConnecClientTest, BatchLimitsAndCountMismatch) {
  std::vector<mno::connec::BatchOp> many(51, {"post", "cld-1", "people", "", json::object()});
  EXPECT_EQ(client_.batch(many).error().code, "connec.invalid_argument");
  http_.on("POST", std::string(kHost) + "/batch", FakeHttpClient::json_response(200, {{"results", json::array()}}));
  std::vector<mno::connec::BatchOp> one(1, {"post", "cld-1", "people", "", json::object()});
  EXPECT_EQ(client_.batch(one).error().code, "connec.bad_response");
}

TEST_F(ConnecClientTest, ErrorCodes) {
  std::string url = std::string(kHost) + "/api/v2/cld-1/people/x";
  auto code_for = [&](int status, std::vector<std::pair<std::string, std::string>> headers = {}) {
    http_.clear();
    auto resp = FakeHttpClient::json_response(status, {{"errors", {{{"status", std::to_string(status)}}}}});
    for (auto& h : headers) resp.headers.push_back(h);
    http_.on("GET", url, resp);
    auto r = client_.get("cld-1", "people", "x");
    return r.ok() ? mno::Error{} : r.error();
  };
  EXPECT_EQ(code_for(401).code, "connec.unauthorized");
  EXPECT_EQ(code_for(404).code, "connec.not_found");
  EXPECT_EQ(code_for(400).code, "connec.invalid");
  EXPECT_EQ(code_for(409).code, "connec.rejected");
  EXPECT_EQ(code_for(408).code, "connec.transient");
  EXPECT_EQ(code_for(502).code, "connec.server_error");
  auto rl = code_for(429, {{"retry-after", "7"}});
  EXPECT_EQ(rl.code, "connec.rate_limited");
  EXPECT_EQ(mno::connec::retry_after(rl), std::chrono::seconds(7));
  EXPECT_EQ(mno::connec::error_status(rl), 429);
  EXPECT_TRUE(mno::connec::is_retryable(rl));
  EXPECT_FALSE(mno::connec::is_retryable(code_for(400)));
  EXPECT_FALSE(mno::connec::is_retryable(code_for(409)));
  EXPECT_TRUE(mno::connec::is_retryable(code_for(503)));

  http_.clear();
  http_.on("GET", url, mno::make_error("http.connect", "refused"));
  EXPECT_EQ(client_.get("cld-1", "people", "x").error().code, "connec.unreachable");
  http_.on("GET", url, mno::make_error("http.timeout", "slow"));
  http_.clear();
  http_.on("GET", url, mno::make_error("http.timeout", "slow"));
  EXPECT_EQ(client_.get("cld-1", "people", "x").error().code, "connec.timeout");
  http_.on("POST", std::string(kHost) + "/api/v2/cld-1/people", mno::make_error("http.transport", "reset"));
  auto amb = client_.upsert("cld-1", "people", json::object());
  EXPECT_EQ(amb.error().code, "connec.ambiguous");
  EXPECT_TRUE(mno::connec::is_retryable(amb.error()));
}

TEST_F(ConnecClientTest, RetryAfterHttpDate) {
  mno::http::Response r;
  r.status = 429;
  r.headers.emplace_back("retry-after", "Thu, 01 Jan 2026 00:01:00 GMT");
  auto now = std::chrono::system_clock::from_time_t(1767225600);  // 2026-01-01T00:00:00Z
  auto e = mno::connec::error_from_response(r, now);
  EXPECT_EQ(mno::connec::retry_after(e), std::chrono::seconds(60));
}

}  // namespace
