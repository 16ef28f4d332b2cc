// A started web::Server on an ephemeral loopback port for one test, with short timeouts so that
// timing tests stay fast; the server is stopped and joined when the fixture goes away.
#pragma once
#include <gtest/gtest.h>

#include <memory>

#include "http_client.hpp"
#include "web/server.hpp"

namespace webtest {

struct RunningServer {
  web::Router router;
  std::shared_ptr<web::Metrics> metrics = std::make_shared<web::Metrics>();
  web::ServerOptions options;
  std::unique_ptr<web::Server> server;
  uint16_t port = 0;

  RunningServer() {
    options.access_log = false;
    options.worker_threads = 2;
  }
  // Call after adding routes and adjusting options.
  void start() {
    server = std::make_unique<web::Server>(router, options, metrics);
    auto r = server->start();
    ASSERT_TRUE(r.ok()) << r.error().message;
    port = *r;
  }
  ~RunningServer() {
    if (server) {
      server->stop();
      server->wait();
    }
  }
};

}  // namespace webtest
