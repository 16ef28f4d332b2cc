// Blocking loopback HTTP client for the web tests (see http_client.hpp).
#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstring>

namespace webtest {
namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
// Writing to a socket the server already closed must fail with EPIPE, not kill the test.
const bool kIgnoreSigpipe = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();
}  // namespace

std::optional<std::string> RawResponse::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return std::nullopt;
}

Client::Client(uint16_t port) {
  (void)kIgnoreSigpipe;
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) close();
}

Client::~Client() { close(); }

void Client::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool Client::send(std::string_view data) {
  while (!data.empty() && fd_ >= 0) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return fd_ >= 0;
}

bool Client::fill(std::chrono::steady_clock::time_point deadline) {
  if (fd_ < 0 || eof_) return false;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char tmp[16384];
  ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buf_.append(tmp, static_cast<size_t>(n));
  return true;
}

std::optional<RawResponse> Client::read_response(std::chrono::milliseconds timeout, bool head) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t end;
  while (true) {
    // Skip interim 1xx responses (100 Continue).
    end = buf_.find("\r\n\r\n");
    if (end != std::string::npos && buf_.compare(0, 10, "HTTP/1.1 1") == 0) {
      buf_.erase(0, end + 4);
      continue;
    }
    if (end != std::string::npos) break;
    if (!fill(deadline)) return std::nullopt;
  }
  RawResponse r;
  std::string head_block = buf_.substr(0, end);
  buf_.erase(0, end + 4);
  size_t line_end = head_block.find("\r\n");
  std::string status_line = head_block.substr(0, line_end);
  if (status_line.size() < 12) return std::nullopt;
  r.status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end == std::string::npos ? head_block.size() : line_end + 2;
  while (pos < head_block.size()) {
    size_t e = head_block.find("\r\n", pos);
    if (e == std::string::npos) e = head_block.size();
    std::string line = head_block.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      r.headers.emplace_back(lower(line.substr(0, colon)), v);
    }
    pos = e + 2;
  }
  if (head || r.status == 204 || r.status == 304) return r;
  if (auto cl = r.header("content-length")) {
    size_t len = std::stoul(*cl);
    while (buf_.size() < len)
      if (!fill(deadline)) return std::nullopt;
    r.body = buf_.substr(0, len);
    buf_.erase(0, len);
  } else {
    while (fill(deadline)) {
    }
    r.body = std::move(buf_);
    buf_.clear();
  }
  return r;
}

std::optional<RawResponse> Client::request(std::string_view method, std::string_view target, std::string_view body,
                                           std::string_view extra_headers) {
  std::string req = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  req += extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  if (!send(req)) return std::nullopt;
  return read_response(std::chrono::seconds(5), method == "HEAD");
}

bool Client::closed_within(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (fill(deadline)) {
  }
  return eof_;
}

std::optional<RawResponse> get(uint16_t port, std::string_view target, std::string_view extra_headers) {
  Client c(port);
  if (!c.connected()) return std::nullopt;
  return c.request("GET", target, "", extra_headers);
}

}  // namespace webtest
