// Server-side HTML rendering with mustache templates embedded from assets/tally/templates.
// Every page is rendered into layout.mustache; values are HTML-escaped by default.
#pragma once
#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace tally {

using ViewData = kainjow::mustache::data;

// Renders templates/<name>.mustache with `view`, then the layout around it with `title`.
std::string render_page(std::string_view name, const std::string& title, ViewData view);
// Renders one template without the layout.
std::string render_template(std::string_view name, const ViewData& view);

}  // namespace tally
