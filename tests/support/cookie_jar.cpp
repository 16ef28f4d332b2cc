// See cookie_jar.hpp.
#include "support/cookie_jar.hpp"

namespace testenv {

void apply_set_cookie(const std::string& v, std::map<std::string, std::string>& jar) {
  auto eq = v.find('=');
  auto semi = v.find(';');
  std::string name = v.substr(0, eq);
  std::string value = v.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
  if (v.find("Max-Age=0") != std::string::npos || value.empty())
    jar.erase(name);
  else
    jar[name] = value;
}

}  // namespace testenv
