// A tiny blocking HTTP/1.1 client over POSIX sockets for the server tests. It sends raw bytes,
// so tests can also misbehave on purpose (trickle bytes, send huge headers, hold connections);
// using it instead of Beast keeps the test build light.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace webtest {

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::optional<std::string> header(std::string_view lower_name) const;
};

class Client {
 public:
  explicit Client(uint16_t port);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(std::string_view data);
  // Reads one response framed by Content-Length (or to EOF without one). nullopt on timeout or
  // when the connection closes before a complete response. `head`: no body follows.
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout = std::chrono::seconds(5), bool head = false);
  // Sends "METHOD target HTTP/1.1" with Host, the extra header lines and a Content-Length body.
  std::optional<RawResponse> request(std::string_view method, std::string_view target, std::string_view body = "",
                                     std::string_view extra_headers = "");
  // True when the server closes the connection (EOF or reset) within `timeout`; any bytes that
  // arrive first are kept in received().
  bool closed_within(std::chrono::milliseconds timeout);
  const std::string& received() const { return buf_; }
  void close();

 private:
  // Reads more bytes into buf_; false on EOF, error or timeout.
  bool fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string buf_;
  bool eof_ = false;
};

// One-shot GET on a fresh connection.
std::optional<RawResponse> get(uint16_t port, std::string_view target, std::string_view extra_headers = "");

}  // namespace webtest
