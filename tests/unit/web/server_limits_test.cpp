// Limits and timeouts over real sockets: 431, 413 (Content-Length and chunked), slow header,
// slow body, idle keep-alive timeout, and the connection cap.
#include <gtest/gtest.h>

#include <thread>

#include "server_fixture.hpp"

using namespace std::chrono_literals;
using webtest::Client;
using webtest::RunningServer;
using web::Request;
using web::Response;

namespace {
void add_echo(RunningServer& s, size_t max_body = 1024) {
  web::RouteOptions o;
  o.max_body = max_body;
  s.router.add("POST", "/echo", [](Request& r) { return Response::text(200, r.body); }, o);
  s.router.add("GET", "/ok", [](Request&) { return Response::text(200, "ok"); });
}
}  // namespace

TEST(ServerLimits, OversizedHeaderGets431) {
  RunningServer s;
  s.options.max_header_bytes = 1024;
  add_echo(s);
  s.start();
  Client c(s.port);
  ASSERT_TRUE(c.send("GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(c.closed_within(2s));
  auto fine = webtest::get(s.port, "/ok", "X-Small: " + std::string(200, 'a') + "\r\n");
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

TEST(ServerLimits, OversizedBodyByContentLengthGets413WithoutReadingIt) {
  RunningServer s;
  add_echo(s, 1024);
  s.start();
  Client c(s.port);
  // Only the headers are sent: the answer must come without the server waiting for the body.
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
  auto r = c.read_response(2s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.closed_within(2s));
  Client ok(s.port);
  auto small = ok.request("POST", "/echo", std::string(1024, 'b'));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
  EXPECT_EQ(small->body.size(), 1024u);
}

TEST(ServerLimits, OversizedChunkedBodyGets413) {
  RunningServer s;
  add_echo(s, 1024);
  s.start();
  Client c(s.port);
  std::string chunk(800, 'c');
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk + "\r\n320\r\n" +
                     chunk + "\r\n"));
  auto r = c.read_response(2s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.closed_within(2s));

  Client fine(s.port);
  ASSERT_TRUE(fine.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  auto ok = fine.read_response();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->body, "abcde");
}

TEST(ServerLimits, SlowHeaderClientIsDropped) {
  RunningServer s;
  s.options.header_timeout = 300ms;
  add_echo(s);
  s.start();
  Client c(s.port);
  const std::string request = "GET /ok HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(100, 'p') + "\r\n\r\n";
  auto t0 = std::chrono::steady_clock::now();
  bool dropped = false;
  for (char ch : request) {
    if (!c.send(std::string_view(&ch, 1))) {
      dropped = true;
      break;
    }
    if (c.closed_within(100ms)) {
      dropped = true;
      break;
    }
  }
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(dropped);
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 1500ms);
  EXPECT_EQ(c.received().find("200"), std::string::npos);
}

TEST(ServerLimits, SlowBodyClientIsDropped) {
  RunningServer s;
  s.options.body_timeout = 300ms;
  add_echo(s);
  s.start();
  Client c(s.port);
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab"));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_within(2s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
}

TEST(ServerLimits, IdleKeepAliveConnectionIsClosed) {
  RunningServer s;
  s.options.idle_timeout = 200ms;
  add_echo(s);
  s.start();
  Client c(s.port);
  ASSERT_EQ(c.request("GET", "/ok")->status, 200);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_within(2s));
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 1500ms);
}

TEST(ServerLimits, ConnectionsBeyondTheCapAreClosedAtOnce) {
  RunningServer s;
  s.options.max_connections = 2;
  add_echo(s);
  s.start();
  auto a = std::make_unique<Client>(s.port);
  Client b(s.port);
  ASSERT_EQ(a->request("GET", "/ok")->status, 200);
  ASSERT_EQ(b.request("GET", "/ok")->status, 200);
  Client third(s.port);
  EXPECT_TRUE(third.closed_within(1s));
  EXPECT_TRUE(third.received().empty());
  EXPECT_GE(s.metrics->counter("http_connections_rejected_total", "").value(), 1.0);

  a.reset();  // frees a slot once the server notices the close
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    auto r = webtest::get(s.port, "/ok");
    served = r && r->status == 200;
    if (!served) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(served);
}

TEST(ServerLimits, AmbiguousFramingIsRejected) {
  RunningServer s;
  add_echo(s);
  s.start();
  for (std::string framing : {"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
                              "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                              "Content-Length: 3\r\nContent-Length: 4\r\n"}) {
    Client c(s.port);
    ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\n" + framing + "\r\nabc"));
    auto r = c.read_response(2s);
    ASSERT_TRUE(r) << framing;
    EXPECT_EQ(r->status, 400) << framing;
    EXPECT_TRUE(c.closed_within(2s));
  }
}
