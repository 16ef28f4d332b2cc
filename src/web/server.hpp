// The HTTP/1.1 server: Beast + Asio C++20 coroutines on `io_threads` I/O threads (one
// io_context each), blocking handlers on a worker pool, limits and timeouts against slow or
// oversized clients, per-route metrics, an access log, and graceful shutdown. Beast stays in
// server.cpp (pimpl) so code that starts a server compiles fast.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "mno/util/result.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"

namespace web {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0 = ephemeral (start() returns the bound port)
  unsigned io_threads = 1;
  unsigned worker_threads = 4;
  size_t max_header_bytes = 16 * 1024;  // larger header block -> 431
  size_t max_connections = 1024;        // beyond: new connections are closed at once
  std::chrono::milliseconds header_timeout{10000};  // from the first byte to the end of the headers
  std::chrono::milliseconds body_timeout{30000};    // reading the body, and writing the response
  std::chrono::milliseconds idle_timeout{60000};    // keep-alive wait for the next request
  std::chrono::milliseconds shutdown_grace{10000};  // how long stop() lets in-flight requests run
  bool access_log = true;
};

class Server {
 public:
  // `router` must outlive the server and not change after start(). A null `metrics` creates one.
  Server(Router& router, ServerOptions options, std::shared_ptr<Metrics> metrics = nullptr);
  ~Server();  // stop() + wait()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and spawns the threads; returns the bound port. Errors: "web.bind"
  // (address in use, bad address), "web.already_started".
  mno::Result<uint16_t> start();
  // Graceful, idempotent, non-blocking, callable from any thread (handlers included): stops
  // accepting, closes idle keep-alive connections, lets in-flight requests finish and answer
  // (with Connection: close) for up to shutdown_grace, then closes everything.
  void stop();
  // Blocks until the server has stopped (returns at once if it was never started).
  void wait();
  // SIGINT/SIGTERM -> stop(). Call before or after start().
  void stop_on_signals();
  std::shared_ptr<Metrics> metrics() const;
  uint16_t port() const;  // 0 before start()

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace web
