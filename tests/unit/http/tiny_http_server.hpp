// A one-connection HTTP server on a raw POSIX socket (127.0.0.1) for testing the real libcurl client:
// records the raw request it receives and answers with canned bytes, or never answers at all.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/test_env.hpp"

namespace testhttp {

enum class Mode {
  answer,          // read the whole request, then write the canned response
  answer_at_once,  // write the canned response as soon as the connection is accepted (e.g. to a TLS client)
  never_answer,    // accept, read, then stay silent until destroyed
};

class TinyHttpServer {
 public:
  explicit TinyHttpServer(std::string canned_response, Mode mode = Mode::answer)
      : response_(std::move(canned_response)), mode_(mode) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    for (int attempt = 0; attempt < 20; ++attempt) {
      port_ = testenv::free_port();
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(port_);
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
      port_ = 0;
    }
    if (port_ == 0 || ::listen(listen_fd_, 4) != 0) throw std::runtime_error("TinyHttpServer: cannot listen");
    thread_ = std::thread([this] { serve(); });
  }
  ~TinyHttpServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  TinyHttpServer(const TinyHttpServer&) = delete;
  TinyHttpServer& operator=(const TinyHttpServer&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  // The raw bytes received; complete once the client call has returned.
  std::string received() {
    while (!done_ && !stop_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return received_;
  }

 private:
  bool wait_readable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      int r = ::poll(&p, 1, 20);
      if (r > 0) return true;
      if (r < 0) return false;
    }
    return false;
  }
  void serve() {
    if (!wait_readable(listen_fd_)) return;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    if (mode_ == Mode::answer_at_once) {
      write_all(fd, response_);
    } else {
      read_request(fd);
      if (mode_ == Mode::answer) write_all(fd, response_);
      else while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    done_ = true;
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }
  void read_request(int fd) {
    std::string data;
    char buf[4096];
    size_t need = std::string::npos;
    while (wait_readable(fd)) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      data.append(buf, static_cast<size_t>(n));
      auto end = data.find("\r\n\r\n");
      if (end != std::string::npos && need == std::string::npos) {
        need = end + 4;
        auto cl = data.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) need += std::stoul(data.substr(cl + 16));
      }
      if (need != std::string::npos && data.size() >= need) break;
    }
    received_ = data;
  }
  static void write_all(int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }

  std::string response_;
  Mode mode_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::string received_;
};

}  // namespace testhttp
