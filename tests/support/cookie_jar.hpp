// What a browser does with one Set-Cookie header value: store the cookie, or drop it when it is
// cleared (Max-Age=0 or an empty value). Shared by the in-process and the loopback test browsers.
#pragma once
#include <map>
#include <string>

namespace testenv {

void apply_set_cookie(const std::string& header_value, std::map<std::string, std::string>& jar);

}  // namespace testenv
