// See landing_page.hpp.
#include "tally/web/landing_page.hpp"

#include "tally/web/templates.hpp"
#include "web/route_options.hpp"

namespace tally {

void add_landing_page(web::Router& router, const mno::config::Registry& registry) {
  router.add("GET", "/", [&registry](web::Request&) {
    ViewData list{ViewData::type::list};
    auto all = registry.all();
    for (const auto& m : all) {
      ViewData row;
      row.set("name", m->name);
      row.set("api_host", m->api.host);
      list.push_back(row);
    }
    ViewData view;
    view.set("has_marketplaces", !all.empty());
    view.set("marketplace_count", std::to_string(all.size()));
    view.set("plural", all.size() == 1 ? "" : "s");
    view.set("marketplaces", list);
    return web::Response::html(200, render_page("landing", "Welcome", view));
  }, web::named("landing", 0));
}

}  // namespace tally
