// See test_env.hpp.
#include "support/test_env.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace testenv {

std::string postgres_url() {
  const char* v = std::getenv("TALLY_TEST_PG_URL");
  return v ? v : "";
}

bool postgres_required() {
  const char* v = std::getenv("TALLY_REQUIRE_PG");
  return v && std::string(v) == "1";
}

std::vector<std::string> database_kinds() { return {"sqlite", "postgresql"}; }

std::string temp_dir(const std::string& hint) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::path(TALLY_BINARY_DIR) / "tmp" /
             (hint + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace testenv
