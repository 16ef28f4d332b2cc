// See account_webhooks.hpp. The directory change and the webhook's outbox row commit together; the
// sender thread is woken after the commit.
#include "sandbox/account_webhooks.hpp"

#include "mno/util/log.hpp"
#include "web/route_options.hpp"
#include "web/url.hpp"

namespace sandbox {
namespace {

using nlohmann::json;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

std::string app_base(const MarketplaceRecord& m) {
  std::string host = m.app_host;
  while (!host.empty() && host.back() == '/') host.pop_back();
  return host;
}

OutboundDelivery account_delete(const MarketplaceRecord& m, const char* kind, std::string url) {
  OutboundDelivery d;
  d.marketplace = m.name;
  d.kind = kind;
  d.method = "DELETE";
  d.url = std::move(url);
  d.headers = {{"Accept", "application/json"}, {"User-Agent", "mno-sandbox"}};
  d.basic_auth = std::pair{m.app_id, m.api_key};
  return d;
}

web::Response json_error(int status, const std::string& code, const std::string& message) {
  return web::Response::json(status, json{{"error", {{"code", code}, {"message", message}}}}.dump());
}

web::Response error_response(const mno::Error& e) {
  if (e.code.rfind("directory.unknown_", 0) == 0) return json_error(404, e.code, e.message);
  mno::log::error("sandbox.state_error", {{"code", e.code}, {"message", e.message}});
  return json_error(500, e.code, "sandbox state error");
}

// The marketplace record of a group's app (read before the transaction: the state's own queries
// open transactions of their own).
mno::Result<MarketplaceRecord> market_of_group(const AccountWebhookServices& s, const std::string& group_uid) {
  auto rows = s.db->query("SELECT marketplace FROM directory_groups WHERE uid = $1", {group_uid});
  if (!rows) return rows.error();
  if (rows->empty()) return mno::make_error("directory.unknown_group", "no group '" + group_uid + "'");
  auto m = s.state->marketplace(rows->front().text(0));
  if (!m) return m.error();
  if (!*m) return mno::make_error("directory.unknown_marketplace", "no marketplace named '" + rows->front().text(0) + "'");
  return **m;
}

}  // namespace

std::string group_webhook_url(const SandboxState& state, const MarketplaceRecord& market, const std::string& group_uid) {
  return app_base(market) + replace_all(state.describe(market).webhooks.account.group_path, ":id", web::url_encode(group_uid));
}

std::string group_user_webhook_url(const SandboxState& state, const MarketplaceRecord& market, const std::string& group_uid,
                                   const std::string& user_uid) {
  std::string path = state.describe(market).webhooks.account.group_user_path;
  path = replace_all(path, ":group_id", web::url_encode(group_uid));
  return app_base(market) + replace_all(path, ":id", web::url_encode(user_uid));
}

mno::Result<int64_t> cancel_app_for_group(const AccountWebhookServices& s, const std::string& group_uid) {
  auto market = market_of_group(s, group_uid);
  if (!market) return market.error();
  auto id = s.db->transact([&](mno::db::Connection& c) -> mno::Result<int64_t> {
    if (auto r = c.execute("DELETE FROM directory_memberships WHERE group_uid = $1", {group_uid}); !r) return r.error();
    auto removed = c.execute("DELETE FROM directory_groups WHERE uid = $1", {group_uid});
    if (!removed) return removed.error();
    if (*removed == 0) return mno::make_error("directory.unknown_group", "no group '" + group_uid + "'");
    return s.deliveries->enqueue_in(c, account_delete(*market, kGroupDeletedKind, group_webhook_url(*s.state, *market, group_uid)));
  });
  if (!id) return id.error();
  s.deliveries->wake();
  mno::log::info("sandbox.app_cancelled", {{"group", group_uid}, {"delivery", std::to_string(*id)}});
  return id;
}

mno::Result<int64_t> remove_user_from_group(const AccountWebhookServices& s, const std::string& group_uid,
                                            const std::string& user_uid) {
  auto market = market_of_group(s, group_uid);
  if (!market) return market.error();
  auto id = s.db->transact([&](mno::db::Connection& c) -> mno::Result<int64_t> {
    auto removed = c.execute("DELETE FROM directory_memberships WHERE group_uid = $1 AND user_uid = $2", {group_uid, user_uid});
    if (!removed) return removed.error();
    if (*removed == 0)
      return mno::make_error("directory.unknown_membership", user_uid + " is not a member of " + group_uid);
    return s.deliveries->enqueue_in(
        c, account_delete(*market, kGroupUserDeletedKind, group_user_webhook_url(*s.state, *market, group_uid, user_uid)));
  });
  if (!id) return id.error();
  s.deliveries->wake();
  mno::log::info("sandbox.member_removed", {{"group", group_uid}, {"user", user_uid}, {"delivery", std::to_string(*id)}});
  return id;
}

json delivery_to_json(const DeliveryRecord& d) {
  json log = json::array();
  for (const auto& a : d.log)
    log.push_back({{"attempt", a.attempt}, {"time", a.time}, {"status", a.status}, {"error", a.error},
                   {"latency_ms", a.latency_ms}, {"response_body", a.response_body}});
  return {{"id", d.id},           {"marketplace", d.marketplace},
          {"kind", d.kind},       {"method", d.method},
          {"url", d.url},         {"auth_user", d.auth_user},
          {"body", d.body},       {"state", d.state},
          {"attempts", d.attempts}, {"created_at", d.created_at},
          {"next_attempt_at", d.next_attempt_at}, {"finished_at", d.finished_at},
          {"last_status", d.last_status}, {"last_error", d.last_error},
          {"log", log}};
}

void add_account_webhook_control_routes(web::Router& router, AccountWebhookServices s) {
  const auto opts = web::named("control", 64 * 1024);
  auto delivered = [s](const std::string& group, mno::Result<int64_t> id) {
    if (!id) return error_response(id.error());
    auto d = s.deliveries->get(*id);
    if (!d || !*d) return error_response(d ? mno::make_error("delivery.missing", "delivery vanished") : d.error());
    return web::Response::json(200, json{{"group_uid", group}, {"delivery", delivery_to_json(**d)}}.dump());
  };
  router.add("POST", "/control/v1/groups/{group}/cancel", [s, delivered](web::Request& req) {
    const auto& group = req.params["group"];
    return delivered(group, cancel_app_for_group(s, group));
  }, opts);
  router.add("POST", "/control/v1/groups/{group}/users/{user}/remove", [s, delivered](web::Request& req) {
    const auto& group = req.params["group"];
    return delivered(group, remove_user_from_group(s, group, req.params["user"]));
  }, opts);

  router.add("GET", "/control/v1/deliveries", [s](web::Request& req) {
    int limit = 50;
    if (auto l = req.query_param("limit")) {
      try {
        limit = std::stoi(*l);
      } catch (...) {
        return json_error(400, "control.invalid_field", "limit must be an integer");
      }
    }
    auto list = s.deliveries->list(req.query_param("kind").value_or(""), limit);
    if (!list) return error_response(list.error());
    json out = json::array();
    for (const auto& d : *list) out.push_back(delivery_to_json(d));
    return web::Response::json(200, json{{"deliveries", out}}.dump());
  });
  router.add("GET", "/control/v1/deliveries/{id}", [s](web::Request& req) {
    int64_t id = 0;
    try {
      id = std::stoll(req.params["id"]);
    } catch (...) {
      return json_error(404, "control.unknown_delivery", "no delivery '" + req.params["id"] + "'");
    }
    auto d = s.deliveries->get(id);
    if (!d) return error_response(d.error());
    if (!*d) return json_error(404, "control.unknown_delivery", "no delivery '" + req.params["id"] + "'");
    return web::Response::json(200, delivery_to_json(**d).dump());
  });
  // Tests: every pending delivery now, retries without backoff, until each is delivered or failed.
  router.add("POST", "/control/v1/deliveries/run", [s](web::Request&) {
    auto n = s.deliveries->run_all_now();
    if (!n) return error_response(n.error());
    return web::Response::json(200, json{{"attempts", *n}}.dump());
  }, opts);
  router.add("DELETE", "/control/v1/deliveries", [s](web::Request&) {
    if (auto st = s.deliveries->clear(); !st) return error_response(st.error());
    return web::Response::json(200, R"({"ok":true})");
  });
}

}  // namespace sandbox
