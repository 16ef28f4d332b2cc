// Builds a JSON request (body + Content-Type/Accept headers), the shape of every Maestrano API call.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "mno/http/http_client.hpp"

namespace mno::http {

// A null `body` sends no body (for GET/DELETE) but still asks for JSON back.
Request json_request(std::string method, std::string url, const nlohmann::json& body = nullptr);

}  // namespace mno::http
