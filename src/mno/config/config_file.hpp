// Marketplaces from a local JSON file (same document as the dev platform serves): for offline
// development, tests, and deployments that pin their configuration.
#pragma once
#include <string>
#include <vector>

#include "mno/config/marketplace.hpp"
#include "mno/util/result.hpp"

namespace mno::config {

// "config.file_unreadable" (cannot open/read), "config.file_invalid" (JSON syntax, with byte position);
// validation errors keep their codes with the file name prefixed to the message.
Result<std::vector<Marketplace>> load_marketplaces_file(const std::string& path);

}  // namespace mno::config
