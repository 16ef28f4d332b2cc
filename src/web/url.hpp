// Percent-encoding helpers for paths, query strings and form bodies. Decoding is strict:
// a malformed escape ("%zz", "%4") makes the whole value invalid instead of being guessed at.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace web {

// plus_as_space: '+' means ' ' in query strings and form bodies, but not in paths.
std::optional<std::string> url_decode(std::string_view in, bool plus_as_space);

// Encodes everything except RFC 3986 unreserved characters (ALPHA DIGIT - . _ ~).
std::string url_encode(std::string_view in);

// "a=1&b=x+y&c" -> {{"a","1"},{"b","x y"},{"c",""}}; pairs with a malformed escape are dropped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace web
