// Request accessors: header, query, cookie and form lookups over the parsed request.
#include "web/request.hpp"

#include <strings.h>

#include "web/url.hpp"

namespace web {
namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<std::string> Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

size_t Request::header_count(std::string_view name) const {
  size_t n = 0;
  for (const auto& h : headers)
    if (iequals(h.first, name)) ++n;
  return n;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  for (auto& [k, v] : parse_query(query))
    if (k == name) return std::move(v);
  return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (!iequals(k, "cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view part = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) continue;
      if (trim(part.substr(0, eq)) != name) continue;
      std::string_view value = trim(part.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::map<std::string, std::string> Request::form() const {
  std::map<std::string, std::string> out;
  auto ct = header("content-type");
  if (!ct) return out;
  std::string_view type = trim(std::string_view(*ct).substr(0, ct->find(';')));
  if (!iequals(type, "application/x-www-form-urlencoded")) return out;
  for (auto& [k, v] : parse_query(body)) out.emplace(std::move(k), std::move(v));
  return out;
}

}  // namespace web
