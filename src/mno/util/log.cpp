// logfmt rendering and spdlog sink setup for mno::log.
#include "mno/util/log.hpp"

#include <spdlog/spdlog.h>

namespace mno::log {
namespace {
void append_value(std::string& out, std::string_view v) {
  bool quote = v.empty();
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) quote = true;
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '"';
}
}  // namespace

std::string format(std::string_view name, std::initializer_list<Field> fields) {
  std::string out = "event=";
  append_value(out, name);
  for (const auto& [k, v] : fields) {
    out += ' ';
    out += k;
    out += '=';
    append_value(out, v);
  }
  return out;
}

void event(Level level, std::string_view name, std::initializer_list<Field> fields) {
  auto lvl = level == Level::debug ? spdlog::level::debug
             : level == Level::info ? spdlog::level::info
             : level == Level::warn ? spdlog::level::warn
                                    : spdlog::level::err;
  if (!spdlog::should_log(lvl)) return;
  spdlog::log(lvl, "{}", format(name, fields));
}

bool set_level(std::string_view level) {
  static const std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
      {"debug", spdlog::level::debug}, {"info", spdlog::level::info}, {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},   {"off", spdlog::level::off}};
  for (auto [n, l] : kLevels)
    if (n == level) {
      spdlog::set_level(l);
      spdlog::set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
      return true;
    }
  return false;
}

}  // namespace mno::log
