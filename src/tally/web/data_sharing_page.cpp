// See data_sharing_page.hpp. Everything shown comes from tally::sync::load_sync_status (the same summary as
// `tally sync status`); the actions are admin-only routes behind the page pipeline's CSRF check.
#include "tally/web/data_sharing_page.hpp"

#include "mno/util/iso8601.hpp"
#include "tally/sync/import_job.hpp"
#include "tally/sync/sync_status.hpp"
#include "tally/sync/tenant_directory.hpp"
#include "tally/web/page_context.hpp"

namespace tally {
namespace {

std::string when(mno::TimePoint t) {
  auto s = mno::format_iso8601(t);
  return s.substr(0, 10) + " " + s.substr(11, 8) + " UTC";
}

std::string_view import_badge(mno::sync::ImportState s) {
  switch (s) {
    case mno::sync::ImportState::done: return "paid";
    case mno::sync::ImportState::failed: return "overdue";
    case mno::sync::ImportState::running: return "sent";
    case mno::sync::ImportState::pending: return "draft";
  }
  return "draft";
}

ViewData import_view(const mno::sync::ImportRun& run) {
  ViewData v;
  v.set("id", std::to_string(run.id));
  v.set("state", std::string(mno::sync::to_string(run.state)));
  v.set("badge", std::string(import_badge(run.state)));
  const bool active = run.state == mno::sync::ImportState::pending || run.state == mno::sync::ImportState::running;
  v.set("active", active);
  v.set("failed", run.state == mno::sync::ImportState::failed);
  v.set("done_state", run.state == mno::sync::ImportState::done);
  v.set("records_done", std::to_string(run.done()));
  auto total = run.total();
  v.set("records_total", total ? std::to_string(*total) : std::string("?"));
  v.set("started", when(run.created_at));
  v.set("finished", run.finished_at ? when(*run.finished_at) : std::string());
  v.set("has_finished", run.finished_at.has_value());
  v.set("error", run.last_error.value_or(""));
  v.set("has_error", run.last_error.has_value());
  ViewData rows{ViewData::type::list};
  for (const auto& c : run.collections) {
    ViewData r;
    r.set("collection", c.collection);
    r.set("done", std::to_string(c.done));
    r.set("total", c.total ? std::to_string(*c.total) : std::string("?"));
    r.set("percent", std::to_string(c.percent()));
    r.set("finished", c.finished);
    rows.push_back(r);
  }
  v.set("collections", rows);
  return v;
}

web::Response render(PageContext& ctx) {
  auto company = ctx.services.companies.get(ctx.viewer->company_id);
  if (!company) return ctx.error_response(company.error());
  auto status = sync::load_sync_status(*ctx.services.db, sync::tenant_key(ctx.viewer->company_id));
  if (!status) return ctx.error_response(status.error());
  const bool admin = can_manage_team(ctx.viewer->role);
  const bool shared = company->marketplace.has_value() && company->external_uid.has_value();
  ViewData view;
  view.set("from_marketplace", shared);
  view.set("marketplace", company->marketplace.value_or(""));
  view.set("can_manage", admin);
  view.set("has_import", status->import.has_value());
  if (status->import) view.set("import", import_view(*status->import));
  // An admin may (re)start the import when none is queued: never imported, or the last one failed.
  const bool idle = !status->import || status->import->state == mno::sync::ImportState::done;
  view.set("can_start_import", admin && shared && idle);
  view.set("can_retry_import", admin && status->import && status->import->state == mno::sync::ImportState::failed);
  const auto& o = status->outbox;
  const auto& i = status->inbox;
  view.set("outbox_pending", std::to_string(o.pending + o.sending));
  view.set("outbox_done", std::to_string(o.done));
  view.set("outbox_dead", std::to_string(o.dead));
  view.set("inbox_pending", std::to_string(i.pending + i.applying));
  view.set("inbox_done", std::to_string(i.done));
  view.set("inbox_dead", std::to_string(i.dead));
  ViewData rows{ViewData::type::list};
  for (const auto& p : status->problems) {
    ViewData r;
    r.set("queue", std::string(sync::to_string(p.queue)));
    r.set("direction", std::string(p.queue == sync::SyncQueue::outbox ? "to Connec!" : "from Connec!"));
    r.set("id", std::to_string(p.id));
    r.set("kind", p.kind);
    r.set("record", p.record);
    r.set("state", p.state);
    r.set("badge", std::string(p.state == "dead" ? "overdue" : p.state == "retrying" ? "sent" : "draft"));
    r.set("attempts", std::to_string(p.attempts));
    r.set("reason", p.reason.empty() ? std::string("waiting to be processed") : p.reason);
    r.set("since", when(p.since));
    r.set("can_retry", admin && p.state != "pending");
    rows.push_back(r);
  }
  view.set("problems", rows);
  view.set("has_problems", !status->problems.empty());
  return ctx.page("data_sharing", "Data sharing", view, "datasharing");
}

}  // namespace

void add_data_sharing_page(web::Router& router, Services& services) {
  add_page(router, services, "GET", "/app/data-sharing", Access::company_member, render);

  add_page(router, services, "POST", "/app/data-sharing/{queue}/{id}/retry", Access::company_admin, [](PageContext& ctx) {
    auto queue = sync::parse_sync_queue(ctx.req.params["queue"]);
    auto id = parse_id(ctx.req.params["id"]);
    if (!queue || !id) return ctx.error_page(404);
    auto r = sync::retry_sync_row(*ctx.services.db, sync::tenant_key(ctx.viewer->company_id), *queue, *id,
                                  ctx.services.clock.now());
    if (!r) return ctx.error_response(r.error());
    if (!*r) return ctx.error_page(404);
    ctx.services.nudge_worker(*queue == sync::SyncQueue::outbox ? "connec_outbox" : "connec_inbox");
    ctx.flash("The record was queued again.");
    return ctx.redirect("/app/data-sharing");
  });

  add_page(router, services, "POST", "/app/data-sharing/import", Access::company_admin, [](PageContext& ctx) {
    const int64_t company_id = ctx.viewer->company_id;
    const std::string tenant = sync::tenant_key(company_id);
    auto latest = mno::sync::latest_import(*ctx.services.db, tenant);
    if (!latest) return ctx.error_response(latest.error());
    if (*latest && (*latest)->state == mno::sync::ImportState::failed) {
      auto r = mno::sync::retry_import(*ctx.services.db, tenant, (*latest)->id, ctx.services.clock.now());
      if (!r) return ctx.error_response(r.error());
      ctx.services.nudge_worker(sync::kImportJobName);
    } else if (auto s = sync::start_initial_import(ctx.services, company_id); !s) {
      return ctx.error_response(s.error());
    }
    ctx.flash("The import from Connec! was queued.");
    return ctx.redirect("/app/data-sharing");
  });
}

}  // namespace tally
