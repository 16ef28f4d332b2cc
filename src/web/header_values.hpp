// Every value of one request header, in arrival order. Authentication code needs all of them,
// because a request carrying two Authorization headers must be refused, not half-read.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "web/request.hpp"

namespace web {

inline std::vector<std::string> header_values(const Request& req, std::string_view lower_name) {
  std::vector<std::string> out;
  for (const auto& [name, value] : req.headers)
    if (name == lower_name) out.push_back(value);
  return out;
}

}  // namespace web
