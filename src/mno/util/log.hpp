// Structured logging: one logfmt line per event ("event=http.request route=/healthz status=200"),
// on top of spdlog. Values are quoted when needed, so log lines stay machine-parseable.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace mno::log {

enum class Level { debug, info, warn, error };
using Field = std::pair<std::string_view, std::string>;

void event(Level level, std::string_view name, std::initializer_list<Field> fields = {});
inline void info(std::string_view name, std::initializer_list<Field> f = {}) { event(Level::info, name, f); }
inline void warn(std::string_view name, std::initializer_list<Field> f = {}) { event(Level::warn, name, f); }
inline void error(std::string_view name, std::initializer_list<Field> f = {}) { event(Level::error, name, f); }
inline void debug(std::string_view name, std::initializer_list<Field> f = {}) { event(Level::debug, name, f); }

// "debug", "info", "warn", "error", "off"; returns false for an unknown name.
bool set_level(std::string_view level);
// Renders a logfmt line without emitting it (used by tests and the access log).
std::string format(std::string_view name, std::initializer_list<Field> fields);

}  // namespace mno::log
