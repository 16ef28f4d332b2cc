// Out-of-line pieces of the HttpClient interface (vtable anchor, header lookup).
#include "mno/http/http_client.hpp"

#include <algorithm>
#include <cctype>

namespace mno::http {

HttpClient::~HttpClient() = default;

std::optional<std::string> Response::header(std::string_view name) const {
  auto same = [name](const std::string& n) {
    return n.size() == name.size() &&
           std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
  };
  for (const auto& [n, v] : headers)
    if (same(n)) return v;
  return std::nullopt;
}

}  // namespace mno::http
