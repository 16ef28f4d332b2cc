// See templates.hpp. A parsed template is cached per thread: kainjow's render() mutates the
// template object, so one shared object would race, and parsing on every request costs time.
// Partials ({{>name}}) are expanded into the template text before it is parsed, for the same reason:
// kainjow parses a partial again each time it is rendered.
#include "tally/web/templates.hpp"

#include <stdexcept>
#include <unordered_map>

#include "tally/assets.hpp"

namespace tally {
namespace {

// The template's text with every {{>name}} / {{> name}} replaced by templates/name.mustache, recursively
// (depth-limited against a partial that includes itself).
std::string expanded_text(const std::string& name, int depth = 0) {
  const auto& files = assets();
  auto f = files.find("templates/" + name + ".mustache");
  if (f == files.end()) throw std::logic_error("no template named " + name);
  std::string text(f->second);
  if (depth > 8) throw std::logic_error("template " + name + ": partials nested too deeply");
  for (size_t at = text.find("{{>"); at != std::string::npos; at = text.find("{{>", at)) {
    size_t end = text.find("}}", at);
    if (end == std::string::npos) break;
    std::string partial = text.substr(at + 3, end - at - 3);
    partial.erase(0, partial.find_first_not_of(' '));
    partial.erase(partial.find_last_not_of(' ') + 1);
    std::string body = expanded_text(partial, depth + 1);
    text.replace(at, end + 2 - at, body);
    at += body.size();
  }
  return text;
}

kainjow::mustache::mustache& cached(std::string_view name) {
  thread_local std::unordered_map<std::string, kainjow::mustache::mustache> cache;
  std::string key(name);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  auto [ins, _] = cache.emplace(key, kainjow::mustache::mustache{expanded_text(key)});
  if (!ins->second.is_valid()) throw std::logic_error("template " + key + ": " + ins->second.error_message());
  return ins->second;
}

}  // namespace

std::string render_template(std::string_view name, const ViewData& view) { return cached(name).render(view); }

std::string render_page(std::string_view name, const std::string& title, ViewData view) {
  std::string content = render_template(name, view);
  view.set("title", title);
  view["content"] = ViewData(std::move(content));
  return render_template("layout", view);
}

}  // namespace tally
