// Tally's embedded files (assets/tally/: templates and static files), generated at build time.
#pragma once
#include <map>
#include <string_view>

namespace tally {

const std::map<std::string_view, std::string_view>& assets();

}  // namespace tally
