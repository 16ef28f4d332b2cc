// See billing_admin.hpp.
#include "sandbox/billing_admin.hpp"

#include <kainjow/mustache.hpp>

#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/secure_compare.hpp"
#include "sandbox/account_store.hpp"
#include "sandbox/assets.hpp"
#include "web/route_options.hpp"
#include "web/url.hpp"

namespace sandbox {
namespace mu = kainjow::mustache;

namespace {

std::string money(int64_t cents, const std::string& currency) {
  std::string sign = cents < 0 ? "-" : "";
  int64_t a = cents < 0 ? -cents : cents;
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return sign + std::to_string(a / 100) + "." + frac + " " + currency;
}

}  // namespace

void add_billing_admin_routes(web::Router& router, std::shared_ptr<mno::db::Database> db,
                              std::shared_ptr<Directory> directory, std::string csrf_token) {
  auto store = std::make_shared<AccountStore>(std::move(db), std::move(directory), mno::SystemClock::instance(),
                                              mno::SecureRandom::instance());
  router.add("GET", "/admin/groups/{group}/billing", [store, csrf_token](web::Request& req) {
    const auto& group = req.params["group"];
    auto bills = store->group_bills(group);
    auto recurring = store->group_recurring_bills(group);
    if (!bills || !recurring) return web::Response::html(500, "<h1>Sandbox state unavailable</h1>");
    mu::data bill_rows{mu::data::type::list};
    int submitted = 0;
    for (const auto& b : *bills) {
      mu::data row;
      row.set("id", b.id);
      row.set("marketplace", b.marketplace);
      row.set("description", b.description);
      row.set("amount", money(b.price_cents, b.currency));
      row.set("units", std::to_string(b.units));
      row.set("status", b.status);
      row.set("created", b.created_at);
      if (b.status == "submitted") ++submitted;
      bill_rows.push_back(row);
    }
    mu::data recurring_rows{mu::data::type::list};
    for (const auto& r : *recurring) {
      mu::data row;
      row.set("id", r.id);
      row.set("marketplace", r.marketplace);
      row.set("description", r.description);
      row.set("amount", money(r.price_cents, r.currency));
      row.set("every", std::to_string(r.frequency) + " " + r.period);
      row.set("start", r.start_date);
      row.set("status", r.status);
      recurring_rows.push_back(row);
    }
    mu::data view;
    view.set("group", group);
    view.set("bills", bill_rows);
    view.set("recurring", recurring_rows);
    view.set("submitted", std::to_string(submitted));
    view.set("has_submitted", submitted > 0);
    view.set("csrf", csrf_token);
    mu::mustache tmpl{std::string(assets().at("templates/billing.mustache"))};
    return web::Response::html(200, tmpl.render(view));
  });
  router.add("POST", "/admin/groups/{group}/billing/invoice", [store, csrf_token](web::Request& req) {
    auto f = req.form();
    auto it = f.find("_csrf");
    if (csrf_token.empty() || it == f.end() || !mno::secure_equals(it->second, csrf_token))
      return web::Response::html(403, "<h1>The form is stale or came from another site (CSRF token mismatch); reload the page.</h1>");
    const auto& group = req.params["group"];
    if (auto n = store->invoice_submitted(group); !n) return web::Response::html(500, "<h1>Sandbox state unavailable</h1>");
    return web::Response::redirect("/admin/groups/" + web::url_encode(group) + "/billing");
  }, web::named("admin.form", 64 * 1024));
}

}  // namespace sandbox
