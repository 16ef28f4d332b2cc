// Graceful shutdown: a request in flight still gets its answer, idle connections close, new
// connections are refused, the grace period bounds the wait, and SIGTERM triggers it.
#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <thread>

#include "server_fixture.hpp"

using namespace std::chrono_literals;
using webtest::Client;
using webtest::RunningServer;
using web::Request;
using web::Response;

namespace {
// A handler that parks until the test releases it, and tells the test when it has started.
struct Gate {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  web::Handler handler() {
    return [this](Request&) {
      entered.set_value();
      released.wait();
      return Response::text(200, "finished");
    };
  }
};
}  // namespace

TEST(ServerShutdown, InFlightRequestCompletesThenServerExits) {
  RunningServer s;
  Gate gate;
  s.router.add("GET", "/slow", gate.handler());
  s.router.add("GET", "/ok", [](Request&) { return Response::text(200, "ok"); });
  s.start();
  Client idle(s.port);
  ASSERT_EQ(idle.request("GET", "/ok")->status, 200);

  Client c(s.port);
  ASSERT_TRUE(c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(gate.entered.get_future().wait_for(5s), std::future_status::ready);
  s.server->stop();
  EXPECT_TRUE(idle.closed_within(2s)) << "idle keep-alive connections close at once";
  Client late(s.port);
  EXPECT_TRUE(!late.connected() || late.closed_within(2s)) << "no new connections during shutdown";

  gate.release.set_value();
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->header("connection"), "close");
  auto waiter = std::async(std::launch::async, [&] { s.server->wait(); });
  EXPECT_EQ(waiter.wait_for(5s), std::future_status::ready);
}

TEST(ServerShutdown, GracePeriodBoundsTheWait) {
  RunningServer s;
  s.options.shutdown_grace = 200ms;
  Gate gate;
  s.router.add("GET", "/slow", gate.handler());
  s.start();
  Client c(s.port);
  ASSERT_TRUE(c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(gate.entered.get_future().wait_for(5s), std::future_status::ready);
  auto t0 = std::chrono::steady_clock::now();
  s.server->stop();
  EXPECT_TRUE(c.closed_within(2s)) << "force-closed after the grace period";
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
  EXPECT_EQ(c.received().find("200"), std::string::npos);
  gate.release.set_value();  // the worker thread must still be released for wait() to join
  s.server->wait();
}

TEST(ServerShutdown, StopIsIdempotentAndWaitWithoutStartReturns) {
  web::Router r;
  web::Server never(r, {});
  never.stop();
  never.wait();
  RunningServer s;
  s.start();
  s.server->stop();
  s.server->stop();
  s.server->wait();
  s.server->wait();
  EXPECT_FALSE(s.server->start().ok());
}

TEST(ServerShutdown, SigtermStopsTheServer) {
  RunningServer s;
  s.router.add("GET", "/ok", [](Request&) { return Response::text(200, "ok"); });
  s.server = std::make_unique<web::Server>(s.router, s.options, s.metrics);
  s.server->stop_on_signals();
  auto port = s.server->start();
  ASSERT_TRUE(port.ok());
  ASSERT_EQ(webtest::get(*port, "/ok")->status, 200);
  std::raise(SIGTERM);
  auto waiter = std::async(std::launch::async, [&] { s.server->wait(); });
  EXPECT_EQ(waiter.wait_for(5s), std::future_status::ready);
}
