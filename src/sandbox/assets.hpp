// The sandbox's embedded files (assets/sandbox/), generated at build time by cmake/embed_files.cmake.
#pragma once
#include <map>
#include <string_view>

namespace sandbox {

const std::map<std::string_view, std::string_view>& assets();

}  // namespace sandbox
