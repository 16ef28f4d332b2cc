// Tests of CurlHttpClient against a real socket on 127.0.0.1: what goes on the wire (request line,
// User-Agent, Basic, body), how responses come back, and the transport error codes.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "mno/http/curl_http_client.hpp"
#include "support/test_env.hpp"
#include "tiny_http_server.hpp"

using namespace mno::http;
using testhttp::Mode;
using testhttp::TinyHttpServer;

namespace {

CurlHttpClient client(CurlOptions o = {}) {
  o.proxy = "";  // a developer's http_proxy must not intercept loopback tests
  return CurlHttpClient(std::move(o));
}

const char* kOk =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Custom: yes\r\nContent-Length: 11\r\n"
    "Connection: close\r\n\r\n{\"ok\":true}";

}  // namespace

TEST(CurlHttpClient, SendsRequestLineUserAgentAndHeaders) {
  TinyHttpServer server(kOk);
  Request r;
  r.url = server.url("/api/v1/account/groups/cld-1?x=1");
  r.headers.emplace_back("Accept", "application/json");
  auto c = client();
  auto res = c.send(r);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, "{\"ok\":true}");
  EXPECT_EQ(res->header("x-custom").value_or(""), "yes");
  EXPECT_EQ(res->header("Content-TYPE").value_or(""), "application/json");
  EXPECT_FALSE(res->header("missing").has_value());
  for (const auto& [name, value] : res->headers) EXPECT_EQ(name, [&] { std::string l = name; for (auto& ch : l) ch = static_cast<char>(std::tolower(ch)); return l; }());

  std::string got = server.received();
  EXPECT_TRUE(got.starts_with("GET /api/v1/account/groups/cld-1?x=1 HTTP/1.1\r\n")) << got;
  EXPECT_NE(got.find("User-Agent: libmno-cpp/0.1\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("Accept: application/json\r\n"), std::string::npos) << got;
  EXPECT_EQ(got.find("Authorization:"), std::string::npos) << got;
}

TEST(CurlHttpClient, PostsJsonBodyWithBasicAuth) {
  TinyHttpServer server(kOk);
  auto r = json_request("POST", server.url("/api/v1/account/bills"), {{"price_cents", 1500}});
  r.basic_auth = std::make_pair("app-1", "secret");
  auto c = client();
  auto res = c.send(r);
  ASSERT_TRUE(res.ok()) << res.error().message;
  std::string got = server.received();
  EXPECT_TRUE(got.starts_with("POST /api/v1/account/bills HTTP/1.1\r\n")) << got;
  EXPECT_NE(got.find("Authorization: Basic YXBwLTE6c2VjcmV0\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("Content-Type: application/json\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("Content-Length: 20\r\n"), std::string::npos) << got;
  EXPECT_TRUE(got.ends_with("\r\n\r\n{\"price_cents\":1500}")) << got;
  EXPECT_EQ(got.find("Expect:"), std::string::npos) << got;
}

TEST(CurlHttpClient, CustomMethodWithoutBody) {
  TinyHttpServer server("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
  Request r;
  r.method = "DELETE";
  r.url = server.url("/api/v1/account/recurring_bills/rbill-1");
  auto c = client();
  auto res = c.send(r);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 204);
  EXPECT_TRUE(server.received().starts_with("DELETE /api/v1/account/recurring_bills/rbill-1 HTTP/1.1\r\n"));
}

TEST(CurlHttpClient, ErrorStatusIsAResponseNotAnError) {
  TinyHttpServer server("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops");
  Request r;
  r.url = server.url("/x");
  auto c = client();
  auto res = c.send(r);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->body, "oops");
}

TEST(CurlHttpClient, DoesNotFollowRedirectsByDefault) {
  TinyHttpServer server("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  Request r;
  r.url = server.url("/x");
  auto c = client();
  auto res = c.send(r);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->header("location").value_or(""), "http://127.0.0.1:1/elsewhere");
}

TEST(CurlHttpClient, ServerThatNeverAnswersTimesOut) {
  TinyHttpServer server("", Mode::never_answer);
  Request r;
  r.url = server.url("/slow");
  r.timeout = std::chrono::milliseconds(200);
  auto c = client();
  auto start = std::chrono::steady_clock::now();
  auto res = c.send(r);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "http.timeout") << res.error().message;
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(CurlHttpClient, ConnectionRefused) {
  Request r;
  r.url = "http://127.0.0.1:" + std::to_string(testenv::free_port()) + "/x?token=abc";
  auto c = client();
  auto res = c.send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "http.connect") << res.error().message;
  EXPECT_EQ(res.error().message.find("token=abc"), std::string::npos) << "query strings may hold secrets";
}

TEST(CurlHttpClient, TlsHandshakeFailureIsTls) {
  // A plain-HTTP server answering a TLS ClientHello: the handshake fails.
  TinyHttpServer server("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n", Mode::answer_at_once);
  Request r;
  r.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/x";
  r.timeout = std::chrono::milliseconds(2000);
  auto c = client();
  auto res = c.send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "http.tls") << res.error().message;
}

TEST(CurlHttpClient, ResponseLargerThanTheCapFails) {
  std::string body(1000, 'x');
  TinyHttpServer server("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body);  // no Content-Length: caught while streaming
  CurlOptions o;
  o.max_response_bytes = 100;
  auto c = client(o);
  Request r;
  r.url = server.url("/big");
  auto res = c.send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "http.too_large") << res.error().message;
}

TEST(CurlHttpClient, DeclaredContentLengthOverTheCapFails) {
  std::string body(1000, 'x');
  TinyHttpServer server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n" + body);
  CurlOptions o;
  o.max_response_bytes = 100;
  auto c = client(o);
  Request r;
  r.url = server.url("/big");
  auto res = c.send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "http.too_large") << res.error().message;
}

TEST(CurlHttpClient, OneClientServesManyThreads) {
  std::vector<std::unique_ptr<TinyHttpServer>> servers;
  for (int i = 0; i < 4; ++i) servers.push_back(std::make_unique<TinyHttpServer>(kOk));
  auto c = client();
  std::vector<int> statuses(servers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < servers.size(); ++i)
    threads.emplace_back([&, i] {
      Request r;
      r.url = servers[i]->url("/t");
      auto res = c.send(r);
      statuses[i] = res.ok() ? res->status : -1;
    });
  for (auto& t : threads) t.join();
  for (int s : statuses) EXPECT_EQ(s, 201);
}
