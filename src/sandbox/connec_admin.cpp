// See connec_admin.hpp. One template (assets/sandbox/templates/connec_admin.mustache) with three views;
// writes go through the same store calls as the API, with origin other:admin, and are buffered for
// notification like any other change.
#include "sandbox/connec_admin.hpp"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "mno/util/secure_compare.hpp"
#include "sandbox/assets.hpp"
#include "web/route_options.hpp"
#include "web/url.hpp"

namespace sandbox {
namespace {

namespace mu = kainjow::mustache;
using nlohmann::json;

constexpr int64_t kPageSize = 50;

web::Response render(const mu::data& view, int status = 200) {
  // A template object is not safe to share across threads (render() mutates it): one per request.
  mu::mustache tmpl{std::string(assets().at("templates/connec_admin.mustache"))};
  return web::Response::html(status, tmpl.render(view));
}

web::Response message(int status, const std::string& title, const std::string& text) {
  mu::data view;
  view.set("title", title);
  view.set("message", text);
  mu::mustache tmpl{std::string(assets().at("templates/idp_message.mustache"))};
  return web::Response::html(status, tmpl.render(view));
}

// A one-line description of a record for the table: its name-like fields.
std::string summary_of(const json& r) {
  std::string out;
  for (const char* k : {"name", "first_name", "last_name", "title", "transaction_number", "description"})
    if (r.contains(k) && r[k].is_string()) out += (out.empty() ? "" : " ") + r[k].get<std::string>();
  if (out.empty()) {
    out = r.dump();
    if (out.size() > 80) out = out.substr(0, 77) + "...";
  }
  return out;
}

std::string ids_of(const json& r) {
  std::string out;
  if (!r.contains("id") || !r["id"].is_array()) return out;
  for (const auto& e : r["id"]) {
    if (!e.is_object()) continue;
    if (!out.empty()) out += ", ";
    out += e.value("provider", "") + ":" + (e.contains("id") && e["id"].is_string() ? e["id"].get<std::string>() : e.value("id", json()).dump());
  }
  return out;
}

json editable(json r) {
  for (const char* k : {"id", "created_at", "updated_at", "group_id", "channel_id", "resource_type"}) r.erase(k);
  return r;
}

}  // namespace

void add_connec_admin_routes(web::Router& router, ConnecServices s, std::string csrf_token) {
  const auto form_route = web::named("admin.connec", 1 << 20);

  router.add("GET", "/admin/connec", [s](web::Request&) {
    auto groups = s.directory->groups();
    if (!groups) return message(500, "Sandbox state unavailable", groups.error().message);
    mu::data list{mu::data::type::list};
    for (const auto& g : *groups) {
      auto counts = s.store->counts(g.uid);
      if (!counts) return message(500, "Sandbox state unavailable", counts.error().message);
      mu::data collections{mu::data::type::list};
      for (const auto& [c, n] : *counts) {
        mu::data row;
        row.set("name", c);
        row.set("count", std::to_string(n));
        collections.push_back(row);
      }
      mu::data row;
      row.set("uid", g.uid);
      row.set("marketplace", g.marketplace);
      row.set("channel", connec_scope(g).channel);
      row.set("collections", collections);
      list.push_back(row);
    }
    mu::data view;
    mu::data groups_view;
    groups_view.set("groups", list);
    view.set("groups_view", groups_view);
    return render(view);
  });

  // The "Open" form of the group list.
  router.add("GET", "/admin/connec/{group}", [](web::Request& req) {
    auto c = req.query_param("collection").value_or("");
    if (!is_valid_collection_name(c)) return message(400, "Not found", "'" + c + "' is not a collection name");
    return web::Response::redirect("/admin/connec/" + web::url_encode(req.params["group"]) + "/" + c);
  });

  router.add("GET", "/admin/connec/{group}/{collection}", [s, csrf_token](web::Request& req) {
    auto g = connec_group(*s.directory, req.params["group"]);
    if (!g) return message(404, "Not found", g.error().message);
    const auto& collection = req.params["collection"];
    if (!is_valid_collection_name(collection)) return message(400, "Not found", "'" + collection + "' is not a collection name");
    ConnecListQuery q;
    q.top = kPageSize;
    q.orderby = "updated_at DESC";
    try {
      q.skip = std::max<int64_t>(0, std::stoll(req.query_param("skip").value_or("0")));
    } catch (const std::exception&) {
      q.skip = 0;
    }
    auto page = s.store->list(*g, collection, q);
    if (!page) return message(500, "Sandbox state unavailable", page.error().message);
    mu::data rows{mu::data::type::list};
    for (const auto& r : page->records) {
      mu::data row;
      row.set("code", r.value("code", "-"));
      row.set("connec_id", r["id"][0].value("id", ""));
      row.set("summary", summary_of(r));
      row.set("ids", ids_of(r));
      row.set("updated_at", r.value("updated_at", ""));
      rows.push_back(row);
    }
    mu::data rv;
    rv.set("records", rows);
    rv.set("total", std::to_string(page->total));
    if (q.skip > 0) rv.set("prev", std::to_string(std::max<int64_t>(0, q.skip - kPageSize)));
    if (q.skip + kPageSize < page->total) rv.set("next", std::to_string(q.skip + kPageSize));
    mu::data view;
    view.set("group", g->uid);
    view.set("collection", collection);
    view.set("csrf", csrf_token);
    view.set("records_view", rv);
    return render(view);
  });

  router.add("GET", "/admin/connec/{group}/{collection}/{id}", [s, csrf_token](web::Request& req) {
    auto g = connec_group(*s.directory, req.params["group"]);
    if (!g) return message(404, "Not found", g.error().message);
    const auto& collection = req.params["collection"];
    if (!is_valid_collection_name(collection)) return message(400, "Not found", "'" + collection + "' is not a collection name");
    auto r = s.store->get(*g, collection, req.params["id"]);
    if (!r) return message(404, "Not found", r.error().message);
    mu::data rv;
    rv.set("json", editable(*r).dump(2));
    mu::data view;
    view.set("group", g->uid);
    view.set("collection", collection);
    view.set("csrf", csrf_token);
    view.set("connec_id", req.params["id"]);
    view.set("record_view", rv);
    return render(view);
  });

  // Create (POST to the collection) or sparse update (POST to the record: forms cannot PUT).
  auto save = [s, csrf_token](web::Request& req, const std::string& id) {
    if (!csrf_token.empty() && !mno::secure_equals(req.form()["_csrf"], csrf_token))
      return message(403, "Not saved", "The form is stale or came from another site (CSRF token mismatch); reload the page.");
    auto g = connec_group(*s.directory, req.params["group"]);
    if (!g) return message(404, "Not found", g.error().message);
    const auto& collection = req.params["collection"];
    if (!is_valid_collection_name(collection)) return message(400, "Not saved", "'" + collection + "' is not a collection name");
    auto record = json::parse(req.form()["record"], nullptr, false);
    if (!record.is_object()) return message(400, "Not saved", "the record must be a JSON object");
    auto w = id.empty() ? s.store->post(*g, collection, record) : s.store->put(*g, collection, id, record);
    if (!w) return message(w.error().code == "connec.not_found" ? 404 : 400, "Not saved", w.error().message);
    if (w->changed) s.notifier->record(g->uid, collection, w->connec_id, other_app_origin("admin"));
    return web::Response::redirect("/admin/connec/" + g->uid + "/" + collection + "/" + w->connec_id);
  };
  router.add("POST", "/admin/connec/{group}/{collection}", [save](web::Request& req) { return save(req, ""); }, form_route);
  router.add("POST", "/admin/connec/{group}/{collection}/{id}", [save](web::Request& req) { return save(req, req.params["id"]); },
             form_route);
}

}  // namespace sandbox
