// See templates.hpp. A parsed template is cached per thread: kainjow's render() mutates the
// template object, so one shared object would race, and parsing on every request costs time.
#include "tally/web/templates.hpp"

#include <stdexcept>
#include <unordered_map>

#include "tally/assets.hpp"

namespace tally {
namespace {

kainjow::mustache::mustache& cached(std::string_view name) {
  thread_local std::unordered_map<std::string, kainjow::mustache::mustache> cache;
  std::string key(name);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  const auto& files = assets();
  auto f = files.find("templates/" + key + ".mustache");
  if (f == files.end()) throw std::logic_error("no template named " + key);
  auto [ins, _] = cache.emplace(key, kainjow::mustache::mustache{std::string(f->second)});
  if (!ins->second.is_valid()) throw std::logic_error("template " + key + ": " + ins->second.error_message());
  return ins->second;
}

}  // namespace

std::string render_template(std::string_view name, const ViewData& view) { return cached(name).render(view); }

std::string render_page(std::string_view name, const std::string& title, ViewData view) {
  std::string content = render_template(name, view);
  view.set("title", title);
  view.set("content", content);
  return render_template("layout", view);
}

}  // namespace tally
