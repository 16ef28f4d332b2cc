// The server over real loopback sockets: round trips, keep-alive and pipelining, where handlers
// run, errors turned into 500/404/405/400, HEAD, 100-continue, precheck, metrics and ops routes.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "server_fixture.hpp"
#include "web/ops_routes.hpp"

using webtest::Client;
using webtest::RunningServer;
using web::Request;
using web::Response;

TEST(Server, GetAndPostRoundTrip) {
  RunningServer s;
  s.options.access_log = true;  // exercise the access-log path once
  s.router.add("GET", "/hello/{name}", [](Request& r) {
    return Response::text(200, "hi " + r.params.at("name") + " q=" + r.query_param("q").value_or("-") + " from " +
                                   r.remote_addr + " ua=" + r.header("User-Agent").value_or("-"));
  });
  s.router.add("POST", "/echo", [](Request& r) {
    auto res = Response::json(201, r.body);
    res.add_header("X-Path", r.path);
    return res;
  });
  s.start();
  auto g = webtest::get(s.port, "/hello/J%C3%B6rg?q=a+b", "User-Agent: t\r\n");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->status, 200);
  EXPECT_EQ(g->body, "hi J\xC3\xB6rg q=a b from 127.0.0.1 ua=t");
  EXPECT_EQ(g->header("content-type"), "text/plain; charset=utf-8");

  Client c(s.port);
  auto p = c.request("POST", "/echo", R"({"a":1})", "Content-Type: application/json\r\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 201);
  EXPECT_EQ(p->body, R"({"a":1})");
  EXPECT_EQ(p->header("x-path"), "/echo");
}

TEST(Server, KeepAliveAndPipelining) {
  RunningServer s;
  std::atomic<int> n{0};
  s.router.add("GET", "/n", [&](Request&) { return Response::text(200, std::to_string(++n)); });
  s.start();
  Client c(s.port);
  for (int i = 1; i <= 3; ++i) {
    auto r = c.request("GET", "/n");
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, std::to_string(i));
    EXPECT_NE(r->header("connection"), "close");
  }
  ASSERT_TRUE(c.send("GET /n HTTP/1.1\r\nHost: x\r\n\r\nGET /n HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto a = c.read_response(), b = c.read_response();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "4");
  EXPECT_EQ(b->body, "5");
  ASSERT_TRUE(c.send("GET /n HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  auto last = c.read_response();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->header("connection"), "close");
  EXPECT_TRUE(c.closed_within(std::chrono::seconds(2)));
}

TEST(Server, BlockingHandlersRunOffTheIoThread) {
  RunningServer s;
  std::mutex mu;
  std::set<std::thread::id> io_ids, worker_ids;
  web::RouteOptions cheap;
  cheap.blocking = false;
  s.router.add("GET", "/io", [&](Request&) {
    std::lock_guard l(mu);
    io_ids.insert(std::this_thread::get_id());
    return Response::text(200, "io");
  }, cheap);
  s.router.add("GET", "/work", [&](Request&) {
    std::lock_guard l(mu);
    worker_ids.insert(std::this_thread::get_id());
    return Response::text(200, "work");
  });
  s.start();
  Client c(s.port);
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(c.request("GET", "/io")->status, 200);
    ASSERT_EQ(c.request("GET", "/work")->status, 200);
  }
  ASSERT_EQ(io_ids.size(), 1u) << "one I/O thread by default";
  ASSERT_FALSE(worker_ids.empty());
  EXPECT_EQ(worker_ids.count(*io_ids.begin()), 0u);
  EXPECT_EQ(worker_ids.count(std::this_thread::get_id()), 0u);
}

TEST(Server, HandlerExceptionBecomesGeneric500AndConnectionSurvives) {
  RunningServer s;
  s.router.add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("db password is hunter2"); });
  web::RouteOptions cheap;
  cheap.blocking = false;
  s.router.add("GET", "/boom-io", [](Request&) -> Response { throw 42; }, cheap);
  s.router.add("GET", "/ok", [](Request&) { return Response::text(200, "ok"); });
  s.start();
  Client c(s.port);
  auto r = c.request("GET", "/boom");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body.find("hunter2"), std::string::npos);
  EXPECT_EQ(c.request("GET", "/boom-io")->status, 500);
  EXPECT_EQ(c.request("GET", "/ok")->status, 200);
}

TEST(Server, NotFoundMethodNotAllowedBadPathAndHead) {
  RunningServer s;
  s.router.add("GET", "/thing", [](Request&) { return Response::text(200, "12345"); });
  s.router.add("PUT", "/thing", [](Request&) { return Response::text(200, "put"); });
  s.start();
  Client c(s.port);
  EXPECT_EQ(c.request("GET", "/nope")->status, 404);
  auto m = c.request("DELETE", "/thing");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 405);
  EXPECT_EQ(m->header("allow"), "GET, HEAD, PUT");
  auto h = c.request("HEAD", "/thing");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->header("content-length"), "5");
  EXPECT_EQ(c.request("GET", "/thing")->body, "12345") << "HEAD sent no body bytes";
  EXPECT_EQ(c.request("GET", "/bad%zzpath")->status, 400);
  Client garbage(s.port);
  ASSERT_TRUE(garbage.send("NOT HTTP AT ALL\r\n\r\n"));
  auto g = garbage.read_response();
  ASSERT_TRUE(g);
  EXPECT_EQ(g->status, 400);
}

TEST(Server, ExpectContinueAndPrecheckBeforeBody) {
  RunningServer s;
  s.router.add("POST", "/upload", [](Request& r) { return Response::text(200, std::to_string(r.body.size())); });
  web::RouteOptions guarded;
  guarded.precheck = [](Request& r) -> std::optional<Response> {
    if (r.header("authorization") == "Basic good") return std::nullopt;
    auto res = Response::text(401, "no");
    res.add_header("WWW-Authenticate", "Basic realm=\"hooks\"");
    return res;
  };
  s.router.add("POST", "/hook", [](Request& r) { return Response::text(200, r.body); }, guarded);
  s.start();

  Client c(s.port);
  ASSERT_TRUE(c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  ASSERT_TRUE(c.closed_within(std::chrono::milliseconds(300)) == false);
  EXPECT_EQ(c.received().rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u);
  ASSERT_TRUE(c.send("abc"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "3");

  // Unauthenticated: answered from the headers, the 1 MB body is never read, the connection closes.
  Client bad(s.port);
  ASSERT_TRUE(bad.send("POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\npartial"));
  auto denied = bad.read_response();
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(denied->header("connection"), "close");
  EXPECT_TRUE(bad.closed_within(std::chrono::seconds(2)));

  Client good(s.port);
  auto ok = good.request("POST", "/hook", "payload", "Authorization: Basic good\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "payload");
}

TEST(Server, RecordsPerRouteMetricsAndServesOpsRoutes) {
  RunningServer s;
  std::atomic<bool> healthy{true};
  web::add_ops_routes(s.router, s.metrics, [&] { return healthy.load(); }, std::chrono::milliseconds(0));
  s.router.add("GET", "/items/{id}", [](Request&) { return Response::text(200, "item"); });
  s.start();
  EXPECT_EQ(s.server->metrics(), s.metrics);
  Client c(s.port);
  auto h = c.request("GET", "/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->body, R"({"status":"ok"})");
  healthy = false;
  EXPECT_EQ(c.request("GET", "/healthz")->status, 503);
  c.request("GET", "/items/1");
  c.request("GET", "/items/2");
  c.request("GET", "/missing");
  auto m = c.request("GET", "/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& body = m->body;
  EXPECT_NE(body.find("# TYPE http_requests_total counter"), std::string::npos);
  EXPECT_NE(body.find("http_requests_total{route=\"/items/{id}\",method=\"GET\",status=\"200\"} 2\n"), std::string::npos)
      << body;
  EXPECT_NE(body.find("http_requests_total{route=\"/healthz\",method=\"GET\",status=\"503\"} 1\n"), std::string::npos);
  EXPECT_NE(body.find("http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(body.find("http_request_duration_seconds_count{route=\"/items/{id}\"} 2\n"), std::string::npos);
  EXPECT_NE(body.find("http_connections_open 1\n"), std::string::npos);
}

TEST(Server, BindFailureIsAnErrorValue) {
  RunningServer a;
  a.start();
  web::Router r;
  web::ServerOptions o;
  o.port = a.port;
  o.access_log = false;
  web::Server b(r, o);
  auto res = b.start();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, "web.bind");
  EXPECT_NE(res.error().message.find(std::to_string(a.port)), std::string::npos);
  o.address = "not an address";
  o.port = 0;
  web::Server c(r, o);
  EXPECT_EQ(c.start().error().code, "web.bind");
}

TEST(Server, SeveralIoThreadsServeConcurrentClients) {
  RunningServer s;
  s.options.io_threads = 2;
  web::RouteOptions cheap;
  cheap.blocking = false;
  s.router.add("GET", "/x", [](Request&) { return Response::text(200, "x"); }, cheap);
  s.start();
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      Client c(s.port);
      for (int i = 0; i < 50; ++i)
        if (auto r = c.request("GET", "/x"); r && r->status == 200) ++ok;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 200);
}

TEST(Server, HeaderValuesWithLineBreaksAreDropped) {
  RunningServer s;
  s.router.add("GET", "/reflect", [](Request& r) {
    auto res = Response::text(200, "x");
    res.add_header("X-Echo", r.query_param("v").value_or(""));
    res.add_header("X-Safe", "yes");
    return res;
  });
  s.start();
  auto r = webtest::get(s.port, "/reflect?v=a%0D%0ASet-Cookie:%20evil=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("set-cookie"), std::nullopt);
  EXPECT_EQ(r->header("x-echo"), std::nullopt);
  EXPECT_EQ(r->header("x-safe"), "yes");
}

TEST(OpsRoutes, HealthAnswerIsCachedBetweenProbes) {
  web::Router r;
  int calls = 0;
  web::add_ops_routes(r, nullptr, [&] { return ++calls < 100; }, std::chrono::hours(1));
  auto m = r.match("GET", "/healthz");
  ASSERT_EQ(m.kind, web::Match::Kind::found);
  EXPECT_FALSE(m.route->options.blocking);
  Request req;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(m.route->handler(req).status, 200);
  EXPECT_EQ(calls, 1);
}
