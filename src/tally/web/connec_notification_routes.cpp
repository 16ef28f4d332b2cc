// See connec_notification_routes.hpp. Storing is the only work done in the request: applying records (which may
// wait for references or retry) belongs to the inbox job, so the platform gets its answer quickly. A storage
// failure answers 503 so the platform redelivers (the dedupe key makes that safe).
#include "tally/web/connec_notification_routes.hpp"

#include <set>

#include "mno/connec/notification.hpp"
#include "mno/sync/inbox.hpp"
#include "mno/util/log.hpp"
#include "mno/webhook/basic_auth.hpp"
#include "tally/sync/sync_context.hpp"
#include "tally/sync/sync_jobs.hpp"
#include "tally/sync/tenant_directory.hpp"
#include "web/header_values.hpp"
#include "web/route_options.hpp"

namespace tally {
namespace {

constexpr size_t kMaxNotificationBody = 8 << 20;  // buffered notifications carry many full records

web::Response unauthorized() {
  auto res = web::Response::json(401, R"({"error":"Invalid credentials"})");
  res.set_header("WWW-Authenticate", mno::webhook::www_authenticate_value("Tally"));
  res.set_header("Cache-Control", "no-store");
  return res;
}

std::shared_ptr<const mno::config::Marketplace> authenticate(Services& services, const std::string& marketplace,
                                                             const web::Request& req) {
  std::string why;
  auto m = mno::webhook::authenticate_platform_call(services.registry, marketplace,
                                                    web::header_values(req, "authorization"), &why);
  if (!m) {
    mno::log::warn("connec.notification.unauthorized",
                   {{"marketplace", marketplace}, {"reason", why}, {"remote", req.remote_addr}});
    return nullptr;
  }
  return *m;
}

web::Response handle(Services& services, const std::string& path_marketplace, web::Request& req) {
  auto marketplace = authenticate(services, path_marketplace, req);
  if (!marketplace) return unauthorized();
  if (!services.sync) return web::Response::json(503, R"({"error":"data sharing is not available"})");
  const auto collections = services.sync->adapters->collections();
  auto parsed = mno::connec::parse_notification(req.body, std::set<std::string>(collections.begin(), collections.end()));
  if (!parsed) {
    mno::log::warn("connec.notification.rejected",
                   {{"marketplace", marketplace->name}, {"error", parsed.error().code}, {"detail", parsed.error().message}});
    return web::Response::json(400, nlohmann::json{{"error", parsed.error().message}}.dump());
  }
  for (const auto& s : parsed->skipped)
    mno::log::info("connec.notification.skipped_collection",
                   {{"marketplace", marketplace->name}, {"collection", s.key}, {"reason", s.reason},
                    {"records", std::to_string(s.count)}});

  // Group id -> company, once per group of the request.
  std::map<std::string, std::optional<int64_t>> companies;
  for (const auto& e : parsed->entities) companies.emplace(e.group_id, std::nullopt);
  auto looked_up = services.db->transaction(
      [&](mno::db::Connection& c) -> mno::Status {
        for (auto& [group, company] : companies) {
          auto id = sync::find_company_of_group(c, marketplace->name, group);
          if (!id) return id.error();
          company = *id;
        }
        return {};
      },
      mno::db::TxKind::read);
  if (!looked_up) {
    mno::log::error("connec.notification.store_failed", {{"marketplace", marketplace->name}, {"error", looked_up.error().code}});
    return web::Response::json(503, R"({"error":"try again later"})");
  }

  std::vector<mno::sync::InboxEntry> entries;
  size_t unknown = 0;
  for (auto& e : parsed->entities) {
    const auto& company = companies[e.group_id];
    if (!company) {
      ++unknown;
      mno::log::info("connec.notification.unknown_group",
                     {{"marketplace", marketplace->name}, {"group_id", e.group_id}, {"collection", e.collection},
                      {"connec_id", e.connec_id}});
      continue;
    }
    entries.push_back({sync::tenant_key(*company), std::move(e)});
  }
  mno::sync::StoreReport report;
  if (!entries.empty()) {
    auto stored = mno::sync::store_inbox(*services.db, entries, services.clock.now());
    if (!stored) {
      mno::log::error("connec.notification.store_failed",
                      {{"marketplace", marketplace->name}, {"error", stored.error().code}});
      return web::Response::json(503, R"({"error":"try again later"})");
    }
    report = *stored;
    if (report.stored > 0) services.nudge_worker(sync::kInboxJob);
  }
  mno::log::info("connec.notification.received",
                 {{"marketplace", marketplace->name}, {"stored", std::to_string(report.stored)},
                  {"duplicates", std::to_string(report.duplicates)}, {"unknown_group", std::to_string(unknown)}});
  return web::Response::json(200, nlohmann::json{{"stored", report.stored},
                                                 {"duplicates", report.duplicates},
                                                 {"skipped", unknown}}
                                      .dump());
}

web::RouteOptions options(Services& services, bool suffixed) {
  auto o = web::named("maestrano.connec.notifications", kMaxNotificationBody);
  // Credentials first: an unauthenticated caller never gets its body read.
  o.precheck = [&services, suffixed](web::Request& req) -> std::optional<web::Response> {
    if (!authenticate(services, suffixed ? req.params["marketplace"] : std::string(), req)) return unauthorized();
    return std::nullopt;
  };
  return o;
}

}  // namespace

void add_connec_notification_routes(web::Router& router, Services& services) {
  router.add("POST", "/maestrano/connec/notifications/{marketplace}",
             [&services](web::Request& req) { return handle(services, req.params["marketplace"], req); },
             options(services, true));
  router.add("POST", "/maestrano/connec/notifications",
             [&services](web::Request& req) { return handle(services, "", req); }, options(services, false));
}

}  // namespace tally
