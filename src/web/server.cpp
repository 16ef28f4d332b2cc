// The Beast/Asio HTTP/1.1 server behind web::Server. One io_context per I/O thread (no strands,
// no cross-thread locking on the hot path); each connection is one coroutine that reads the
// header, routes, enforces limits, reads the body, runs the handler (on the worker pool when the
// route is blocking), writes the response, and loops for keep-alive.
#include "web/server.hpp"

#include <strings.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "mno/util/log.hpp"
#include "web/url.hpp"

namespace web {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::steady_clock;

namespace {
constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Bounded label cardinality: unknown methods are counted as OTHER.
int method_index(std::string_view m) {
  static constexpr std::array<std::string_view, 7> kMethods = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  for (size_t i = 0; i < kMethods.size(); ++i)
    if (kMethods[i] == m) return static_cast<int>(i) + 1;
  return 8;
}
std::string_view method_label(int idx) {
  static constexpr std::array<std::string_view, 9> kLabels = {"", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"};
  return kLabels[static_cast<size_t>(idx)];
}

// Per-route metric series, created once. The (method, status) counters are found through a small
// append-only table read without locks: a slot's counter is written before its key is published.
class RouteStats {
 public:
  RouteStats(Metrics& m, std::string name)
      : metrics_(m),
        name_(std::move(name)),
        duration_(m.histogram("http_request_duration_seconds", "HTTP request duration (seconds) by route",
                              {{"route", name_}})) {
    for (auto& k : keys_) k.store(0, std::memory_order_relaxed);
    for (auto& c : counters_) c.store(nullptr, std::memory_order_relaxed);
  }

  const std::string& name() const { return name_; }

  void record(int method_idx, int status, double seconds) {
    duration_.observe(seconds);
    requests(method_idx, status).inc();
  }

 private:
  static constexpr size_t kSlots = 64;

  Counter& requests(int method_idx, int status) {
    uint32_t key = (static_cast<uint32_t>(method_idx) << 16) | static_cast<uint32_t>(status & 0xffff);
    for (size_t i = 0; i < kSlots; ++i) {
      uint32_t k = keys_[i].load(std::memory_order_acquire);
      if (k == key) return *counters_[i].load(std::memory_order_relaxed);
      if (k == 0) break;
    }
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < kSlots; ++i) {
      uint32_t k = keys_[i].load(std::memory_order_relaxed);
      if (k == key) return *counters_[i].load(std::memory_order_relaxed);
      if (k == 0) {
        Counter& c = create(method_idx, status);
        counters_[i].store(&c, std::memory_order_relaxed);
        keys_[i].store(key, std::memory_order_release);
        return c;
      }
    }
    return create(method_idx, status);  // table full: the registry lookup still works, just slower
  }

  Counter& create(int method_idx, int status) {
    return metrics_.counter("http_requests_total", "HTTP requests by route, method and status",
                            {{"route", name_}, {"method", std::string(method_label(method_idx))},
                             {"status", std::to_string(status)}});
  }

  Metrics& metrics_;
  std::string name_;
  Histogram& duration_;
  std::mutex mu_;
  std::array<std::atomic<uint32_t>, kSlots> keys_;
  std::array<std::atomic<Counter*>, kSlots> counters_;
};

// One accepted connection. Only its own I/O thread touches it, except shutdown, which posts to it.
struct Conn {
  explicit Conn(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool in_request = false;
};

Response safe_call(const Route& route, const std::function<Response()>& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    mno::log::error("http.handler_exception", {{"route", route.options.name}, {"error", e.what()}});
  } catch (...) {
    mno::log::error("http.handler_exception", {{"route", route.options.name}, {"error", "unknown exception"}});
  }
  return Response::text(500, "Internal Server Error\n");
}

// Runs `fn` on the worker pool and completes on the caller's executor: the coroutine awaits it
// without ever running handler code on an I/O thread.
template <class Token>
auto run_on_pool(asio::thread_pool& pool, std::function<Response()> fn, Token&& token) {
  return asio::async_initiate<Token, void(Response)>(
      [&pool](auto handler, std::function<Response()> work) {
        auto home = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
        asio::post(pool, [handler = std::move(handler), work = std::move(work), home]() mutable {
          Response res = work();
          asio::post(home, [handler = std::move(handler), res = std::move(res)]() mutable {
            std::move(handler)(std::move(res));
          });
        });
      },
      token, std::move(fn));
}

void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    mno::log::error("http.coroutine_failed", {{"error", ex.what()}});
  } catch (...) {
    mno::log::error("http.coroutine_failed", {{"error", "unknown"}});
  }
}

// Malformed input deserves a 400; timeouts, resets and a peer that went away deserve nothing.
bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message && ec != http::error::need_more;
}

std::string format_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms);
  return buf;
}
}  // namespace

struct Server::Impl {
  Impl(Router& r, ServerOptions o, std::shared_ptr<Metrics> m)
      : router(r), opt(std::move(o)), metrics(m ? std::move(m) : std::make_shared<Metrics>()) {}

  Router& router;
  ServerOptions opt;
  std::shared_ptr<Metrics> metrics;

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::unique_ptr<asio::thread_pool> pool;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::signal_set> signals;
  std::vector<std::thread> threads;
  std::mutex lifecycle_mu;  // start / stop_on_signals / wait
  bool want_signals = false;
  std::atomic<bool> started{false}, stopping{false};
  std::atomic<uint16_t> port{0};
  std::atomic<size_t> open{0};

  std::mutex conns_mu;  // taken on connect/disconnect/shutdown only
  std::unordered_map<Conn*, std::shared_ptr<Conn>> conns;

  std::vector<std::unique_ptr<RouteStats>> stats;  // by route index; the last one is "unmatched"
  Gauge* open_gauge = nullptr;
  Counter* rejected = nullptr;

  RouteStats& stats_for(const Route* route) {
    if (route && route->index + 1 < stats.size()) return *stats[route->index];
    return *stats.back();
  }

  // ---- lifecycle ----

  mno::Result<uint16_t> start() {
    std::lock_guard lock(lifecycle_mu);
    if (started) return mno::make_error("web.already_started", "server already started");
    boost::system::error_code ec;
    auto address = asio::ip::make_address(opt.address, ec);
    if (ec) return mno::make_error("web.bind", "invalid listen address '" + opt.address + "'");

    unsigned n_io = std::max(1u, opt.io_threads);
    for (unsigned i = 0; i < n_io; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
    tcp::endpoint endpoint(address, opt.port);
    auto acc = std::make_unique<tcp::acceptor>(*contexts[0]);
    std::string where = opt.address + ":" + std::to_string(opt.port);
    if (acc->open(endpoint.protocol(), ec) || acc->set_option(asio::socket_base::reuse_address(true), ec) ||
        acc->bind(endpoint, ec) || acc->listen(asio::socket_base::max_listen_connections, ec)) {
      acc.reset();  // before its io_context goes away
      contexts.clear();
      return mno::make_error("web.bind", "cannot listen on " + where + ": " + ec.message());
    }
    port = acc->local_endpoint(ec).port();
    acceptor = std::move(acc);

    for (size_t i = 0; i < router.size(); ++i)
      stats.push_back(std::make_unique<RouteStats>(*metrics, router.route(i).options.name));
    stats.push_back(std::make_unique<RouteStats>(*metrics, "unmatched"));
    open_gauge = &metrics->gauge("http_connections_open", "Open HTTP connections");
    rejected = &metrics->counter("http_connections_rejected_total", "Connections closed at once: max_connections reached");

    pool = std::make_unique<asio::thread_pool>(std::max(1u, opt.worker_threads));
    for (auto& c : contexts) guards.push_back(asio::make_work_guard(*c));
    started = true;
    asio::co_spawn(*contexts[0], accept_loop(), log_exception);
    if (want_signals) install_signals();
    for (auto& c : contexts) threads.emplace_back([ctx = c.get()] { ctx->run(); });
    mno::log::info("http.listening", {{"address", opt.address}, {"port", std::to_string(port.load())}});
    return port.load();
  }

  void install_signals() {
    signals = std::make_unique<asio::signal_set>(*contexts[0], SIGINT, SIGTERM);
    signals->async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      mno::log::info("http.signal", {{"signal", std::to_string(sig)}});
      stop();
    });
  }

  void stop_on_signals() {
    std::lock_guard lock(lifecycle_mu);
    if (started && !stopping)
      asio::post(*contexts[0], [this] {
        if (!signals && !stopping) install_signals();
      });
    else
      want_signals = true;
  }

  void stop() {
    if (!started || stopping.exchange(true)) return;
    asio::co_spawn(*contexts[0], shutdown(), log_exception);
  }

  void wait() {
    std::lock_guard lock(lifecycle_mu);
    for (auto& t : threads)
      if (t.joinable()) t.join();
    if (pool) pool->join();
  }

  template <class F>
  void for_each_conn(F f) {
    std::lock_guard lock(conns_mu);
    for (auto& [raw, c] : conns) {
      (void)raw;
      asio::post(c->stream.get_executor(), [c, f] { f(*c); });
    }
  }

  asio::awaitable<void> shutdown() {
    boost::system::error_code ec;
    acceptor->close(ec);
    if (signals) signals->cancel(ec);
    // Idle keep-alive connections go now; requests in flight finish and answer "Connection: close".
    for_each_conn([](Conn& c) {
      if (!c.in_request) c.stream.close();
    });
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto deadline = steady_clock::now() + opt.shutdown_grace;
    while (open.load() > 0 && steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(nothrow_awaitable);
    }
    if (open.load() > 0) {
      mno::log::warn("http.shutdown_forced", {{"open", std::to_string(open.load())}});
      for_each_conn([](Conn& c) { c.stream.close(); });
    }
    // Contexts return from run() once their last connection coroutine and pool completion end.
    for (auto& g : guards) g.reset();
    mno::log::info("http.stopped");
  }

  // ---- accepting ----

  asio::awaitable<void> accept_loop() {
    size_t next = 0;
    asio::steady_timer backoff(*contexts[0]);
    while (!stopping) {
      auto& ctx = *contexts[next++ % contexts.size()];
      auto [ec, sock] = co_await acceptor->async_accept(ctx, nothrow_awaitable);
      if (stopping) co_return;
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        // EMFILE and friends: back off instead of spinning.
        mno::log::warn("http.accept_failed", {{"error", ec.message()}});
        backoff.expires_after(std::chrono::milliseconds(50));
        co_await backoff.async_wait(nothrow_awaitable);
        continue;
      }
      if (open.load() >= opt.max_connections) {
        rejected->inc();
        boost::system::error_code ignored;
        sock.close(ignored);
        continue;
      }
      open.fetch_add(1);
      open_gauge->inc();
      boost::system::error_code ignored;
      sock.set_option(tcp::no_delay(true), ignored);
      auto conn = std::make_shared<Conn>(std::move(sock));
      {
        std::lock_guard lock(conns_mu);
        conns.emplace(conn.get(), conn);
      }
      asio::co_spawn(ctx, serve(conn), log_exception);
    }
  }

  // ---- one connection ----

  struct ConnGuard {
    Impl* s;
    Conn* c;
    ~ConnGuard() {
      {
        std::lock_guard lock(s->conns_mu);
        s->conns.erase(c);
      }
      s->open_gauge->dec();
      s->open.fetch_sub(1);
    }
  };

  asio::awaitable<Response> invoke(const Route& route, std::function<Response()> fn) {
    if (!route.options.blocking) co_return safe_call(route, fn);
    co_return co_await run_on_pool(
        *pool, [&route, fn = std::move(fn)] { return safe_call(route, fn); }, asio::use_awaitable);
  }

  // Sends a response built by the server itself (errors before or instead of the handler).
  asio::awaitable<size_t> write_response(Conn& conn, Response& res, unsigned version, bool keep_alive, bool head) {
    http::response<http::string_body> out;
    out.version(version);
    out.result(static_cast<unsigned>(res.status >= 100 && res.status <= 999 ? res.status : 500));
    for (auto& [name, value] : res.headers) {
      // The server owns framing and connection management.
      if (iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection")) continue;
      // CR/LF/NUL in a header would let a reflected value split the response: drop the header.
      if (name.empty() || name.find_first_of(":\r\n\0 ", 0, 5) != std::string::npos ||
          value.find_first_of("\r\n\0", 0, 3) != std::string::npos) {
        mno::log::warn("http.header_dropped", {{"header", name.find_first_of("\r\n") == std::string::npos ? name : "?"}});
        continue;
      }
      out.insert(name, value);
    }
    out.keep_alive(keep_alive);
    bool no_body = res.status < 200 || res.status == 204 || res.status == 304;
    if (!no_body) {
      out.content_length(res.body.size());
      if (!head) out.body() = std::move(res.body);
    }
    conn.stream.expires_after(opt.body_timeout);
    auto [ec, n] = co_await http::async_write(conn.stream, out, nothrow_awaitable);
    co_return ec ? 0 : (n == 0 ? 1 : n);  // 0 means "write failed"
  }

  void finish(const Route* route, const Request& req, int status, steady_clock::time_point t0, size_t bytes,
              const std::string& remote) {
    double secs = std::chrono::duration<double>(steady_clock::now() - t0).count();
    RouteStats& rs = stats_for(route);
    rs.record(method_index(req.method), status, secs);
    if (opt.access_log)
      mno::log::info("http.request", {{"method", req.method},
                                      {"path", req.path},
                                      {"route", rs.name()},
                                      {"status", std::to_string(status)},
                                      {"ms", format_ms(secs * 1000.0)},
                                      {"bytes", std::to_string(bytes)},
                                      {"remote", remote}});
  }

  asio::awaitable<void> serve(std::shared_ptr<Conn> conn_ptr) {
    Conn& conn = *conn_ptr;
    ConnGuard guard{this, &conn};
    boost::system::error_code ec;
    std::string remote = conn.stream.socket().remote_endpoint(ec).address().to_string();
    beast::flat_buffer buffer;
    Request req;  // reused across keep-alive requests to keep string capacity
    bool first = true;

    while (!stopping) {
      conn.in_request = false;
      if (!first && buffer.size() == 0) {
        // Keep-alive: wait for the next request's first byte under the idle timeout; the header
        // timeout starts with that byte.
        conn.stream.expires_after(opt.idle_timeout);
        auto [rec, n] = co_await conn.stream.async_read_some(buffer.prepare(4096), nothrow_awaitable);
        if (rec) break;
        buffer.commit(n);
      }
      first = false;

      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(std::min<size_t>(opt.max_header_bytes, UINT32_MAX)));
      parser.body_limit(boost::none);  // per-route limit applied once the route is known
      conn.stream.expires_after(opt.header_timeout);
      auto [hec, hn] = co_await http::async_read_header(conn.stream, buffer, parser, nothrow_awaitable);
      (void)hn;
      auto t0 = steady_clock::now();
      if (hec) {
        // Timeouts and disconnects just close; a bad or oversized header gets an answer first.
        int status = hec == http::error::header_limit ? 431
                     : is_parse_error(hec) ? 400
                                           : 0;
        if (status) {
          req.method.clear();
          req.path.clear();
          Response res = Response::text(status, std::string(status_reason(status)) + "\n");
          size_t bytes = co_await write_response(conn, res, 11, false, false);
          finish(nullptr, req, status, t0, bytes, remote);
        }
        break;
      }
      conn.in_request = true;
      auto& msg = parser.get();
      unsigned version = msg.version();
      bool head = msg.method() == http::verb::head;
      bool close_after = false;

      // ---- fill the Request, reusing its buffers ----
      std::string_view target(msg.target().data(), msg.target().size());
      req.method.assign(msg.method_string().data(), msg.method_string().size());
      req.target.assign(target);
      size_t qmark = target.find('?');
      std::string_view raw_path = target.substr(0, qmark);
      req.query.assign(qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1));
      std::optional<std::string> decoded;
      if (!raw_path.empty() && raw_path.front() == '/') decoded = url_decode(raw_path, false);
      size_t nh = 0;
      for (const auto& f : msg) {
        std::string_view name(f.name_string().data(), f.name_string().size());
        std::string_view value(f.value().data(), f.value().size());
        if (nh == req.headers.size()) req.headers.emplace_back();
        auto& h = req.headers[nh++];
        h.first.assign(name);
        for (char& c : h.first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        h.second.assign(value);
      }
      req.headers.resize(nh);
      req.body.clear();
      req.params.clear();
      req.session.reset();
      if (req.remote_addr != remote) req.remote_addr = remote;

      Response res;
      const Route* route = nullptr;
      bool body_pending = !parser.is_done();
      if (!decoded || decoded->find('\0') != std::string::npos) {
        req.path.assign(raw_path);
        res = Response::text(400, "Bad Request\n");
        close_after = body_pending;
      } else {
        req.path = std::move(*decoded);
        Match m = router.match(req.method, req.path);
        if (m.kind == Match::Kind::not_found) {
          res = Response::text(404, "Not Found\n");
          close_after = body_pending;  // the body was not read: the connection cannot be reused
        } else if (m.kind == Match::Kind::method_not_allowed) {
          res = Response::text(405, "Method Not Allowed\n");
          res.headers.emplace_back("Allow", std::move(m.allow));
          close_after = body_pending;
        } else {
          route = m.route;
          req.params = std::move(m.params);
          const RouteOptions& ro = route->options;
          auto cl = parser.content_length();
          bool answered = false;
          if (cl && *cl > ro.max_body) {
            res = Response::text(413, "Content Too Large\n");
            close_after = true;
            answered = true;
          }
          if (!answered && ro.precheck) {
            std::optional<Response> pre;
            if (!ro.blocking) {
              try {
                pre = ro.precheck(req);
              } catch (...) {
                pre = Response::text(500, "Internal Server Error\n");
              }
            } else {
              Response r = co_await invoke(*route, [&]() -> Response {
                auto p = ro.precheck(req);
                if (p) return std::move(*p);
                Response pass;
                pass.status = 0;  // marker: let the request through
                return pass;
              });
              if (r.status != 0) pre = std::move(r);
            }
            if (pre) {
              res = std::move(*pre);
              close_after = body_pending;
              answered = true;
            }
          }
          if (!answered && body_pending) {
            if (auto expect = msg[http::field::expect]; iequals({expect.data(), expect.size()}, "100-continue")) {
              static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
              conn.stream.expires_after(opt.body_timeout);
              auto [wec, wn] = co_await asio::async_write(conn.stream, asio::buffer(kContinue.data(), kContinue.size()),
                                                          nothrow_awaitable);
              (void)wn;
              if (wec) break;
            }
            parser.body_limit(ro.max_body);
            conn.stream.expires_after(opt.body_timeout);
            auto [bec, bn] = co_await http::async_read(conn.stream, buffer, parser, nothrow_awaitable);
            (void)bn;
            if (bec == http::error::body_limit) {
              res = Response::text(413, "Content Too Large\n");
              close_after = true;
              answered = true;
            } else if (bec) {
              if (!is_parse_error(bec)) break;  // timeout or disconnect mid-body: nobody to answer
              res = Response::text(400, "Bad Request\n");
              close_after = true;
              answered = true;
            }
          }
          if (!answered) {
            req.body = std::move(parser.get().body());
            res = co_await invoke(*route, [&]() { return route->handler(req); });
          }
        }
      }

      if (res.drop) {
        // The handler asked for a dropped connection: reset it (SO_LINGER 0 sends RST), write
        // nothing. Counted and logged with status 0.
        finish(route, req, 0, t0, 0, remote);
        conn.stream.socket().set_option(asio::socket_base::linger(true, 0), ec);
        conn.stream.close();
        co_return;
      }
      bool keep_alive = msg.keep_alive() && !close_after && !stopping;
      int status = res.status >= 100 && res.status <= 999 ? res.status : 500;
      size_t bytes = co_await write_response(conn, res, version, keep_alive, head);
      finish(route, req, status, t0, bytes, remote);
      if (bytes == 0 || !keep_alive) break;
    }
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.close();
  }
};

Server::Server(Router& router, ServerOptions options, std::shared_ptr<Metrics> metrics)
    : impl_(std::make_shared<Impl>(router, std::move(options), std::move(metrics))) {}

Server::~Server() {
  stop();
  wait();
}

mno::Result<uint16_t> Server::start() { return impl_->start(); }
void Server::stop() { impl_->stop(); }
void Server::wait() { impl_->wait(); }
void Server::stop_on_signals() { impl_->stop_on_signals(); }
std::shared_ptr<Metrics> Server::metrics() const { return impl_->metrics; }
uint16_t Server::port() const { return impl_->port.load(); }

}  // namespace web
