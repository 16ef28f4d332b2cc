// Loading the marketplace document from disk, with errors that name the file and the JSON position.
#include "mno/config/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "mno/config/marketplace_json.hpp"

namespace mno::config {

Result<std::vector<Marketplace>> load_marketplaces_file(const std::string& path) {
  std::error_code ec;
  // ifstream happily "opens" a directory and then reads nothing: refuse anything but a regular file.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    return make_error("config.file_unreadable", "marketplace file " + path + " is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("config.file_unreadable", "cannot read marketplace file " + path + ": " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return make_error("config.file_unreadable", "cannot read marketplace file " + path);

  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(buf.str());
  } catch (const nlohmann::json::parse_error& e) {
    return make_error("config.file_invalid", "marketplace file " + path + " is not valid JSON (at byte " +
                                                 std::to_string(e.byte) + "): " + e.what());
  }
  auto parsed = marketplaces_from_document(doc);
  if (!parsed) {
    std::string code = parsed.error().code == "config.invalid_json" ? "config.file_invalid" : parsed.error().code;
    return make_error(std::move(code), "marketplace file " + path + ": " + parsed.error().message);
  }
  return parsed;
}

}  // namespace mno::config
