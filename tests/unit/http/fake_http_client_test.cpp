// Tests of FakeHttpClient, the test double other modules and apps rely on.
#include <gtest/gtest.h>

#include "mno/http/fake_http_client.hpp"

using namespace mno::http;

namespace {
Request get(std::string url) {
  Request r;
  r.url = std::move(url);
  return r;
}
}  // namespace

TEST(FakeHttpClient, MatchesMethodAndUrlAndRecords) {
  FakeHttpClient fake;
  fake.on("GET", "https://h/a", FakeHttpClient::json_response(200, {{"x", 1}}));
  auto r = fake.send(get("https://h/a"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"x\":1}");
  EXPECT_EQ(r->header("Content-Type").value_or(""), "application/json");

  Request post = get("https://h/a");
  post.method = "POST";
  auto miss = fake.send(post);
  ASSERT_FALSE(miss.ok());
  EXPECT_EQ(miss.error().code, "http.transport");
  EXPECT_EQ(fake.request_count(), 2u);
  EXPECT_EQ(fake.last_request().method, "POST");
}

TEST(FakeHttpClient, QueuedOutcomesThenLastRepeats) {
  FakeHttpClient fake;
  fake.on("GET", "https://h/a", FakeHttpClient::text_response(500, "no"));
  fake.on("GET", "https://h/a", mno::make_error("http.timeout", "slow"));
  fake.on("GET", "https://h/a", FakeHttpClient::text_response(200, "yes"));
  EXPECT_EQ(fake.send(get("https://h/a"))->status, 500);
  EXPECT_EQ(fake.send(get("https://h/a")).error().code, "http.timeout");
  EXPECT_EQ(fake.send(get("https://h/a"))->body, "yes");
  EXPECT_EQ(fake.send(get("https://h/a"))->body, "yes");
}

TEST(FakeHttpClient, HandlersAndFallback) {
  FakeHttpClient fake;
  fake.on("GET", "https://h/echo", FakeHttpClient::Handler([](const Request& r) -> mno::Result<Response> {
            return FakeHttpClient::text_response(200, r.url);
          }));
  fake.set_fallback([](const Request&) -> mno::Result<Response> { return FakeHttpClient::text_response(404, ""); });
  EXPECT_EQ(fake.send(get("https://h/echo"))->body, "https://h/echo");
  EXPECT_EQ(fake.send(get("https://h/other"))->status, 404);
  fake.clear();
  EXPECT_EQ(fake.request_count(), 0u);
  EXPECT_FALSE(fake.send(get("https://h/echo")).ok());
}
