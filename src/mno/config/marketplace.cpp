// URL helpers of Marketplace: joining hosts, bases and paths without doubled or missing slashes.
#include "mno/config/marketplace.hpp"

namespace mno::config {
namespace {

std::string join(std::string_view left, std::string_view right) {
  std::string out(left);
  while (!out.empty() && out.back() == '/') out.pop_back();
  while (!right.empty() && right.front() == '/') right.remove_prefix(1);
  out += '/';
  out += right;
  return out;
}

}  // namespace

std::string Marketplace::api_url(std::string_view path) const {
  return join(join(api.host, api.base), path);
}

std::string Marketplace::connec_url(std::string_view path) const {
  return join(join(connec.host, connec.base_path), path);
}

}  // namespace mno::config
