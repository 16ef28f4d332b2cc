// Sandbox state storage: migrations, the demo seed and the developer-platform view of a marketplace.
#include "sandbox/sandbox_state.hpp"

#include "mno/db/migrations.hpp"
#include "mno/util/random.hpp"
#include "mno/util/secure_compare.hpp"
#include "sandbox/account_store.hpp"
#include "sandbox/connec_store.hpp"
#include "sandbox/demo_seed.hpp"
#include "sandbox/directory.hpp"
#include "sandbox/seed_keys.hpp"
#include "sandbox/webhook_delivery.hpp"

namespace sandbox {
namespace {

const std::vector<mno::db::Migration>& migrations() {
  static const std::vector<mno::db::Migration> m = {
      {1, "environment and marketplaces",
       "CREATE TABLE environments (name TEXT PRIMARY KEY, api_key TEXT NOT NULL UNIQUE, api_secret TEXT NOT NULL);"
       "CREATE TABLE marketplaces (name TEXT PRIMARY KEY, app_id TEXT NOT NULL UNIQUE, api_key TEXT NOT NULL,"
       " app_host TEXT NOT NULL, idp_certificate TEXT NOT NULL, idp_private_key TEXT NOT NULL,"
       " idp_fingerprint TEXT NOT NULL, legacy_sha1 INTEGER NOT NULL DEFAULT 0);",
       ""},
      {2, "directory: users, groups, memberships",
       "CREATE TABLE directory_users (uid TEXT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL,"
       " email TEXT NOT NULL, country TEXT NOT NULL DEFAULT '', company_name TEXT NOT NULL DEFAULT '',"
       " session_token TEXT NOT NULL, session_valid INTEGER NOT NULL DEFAULT 1);"
       "CREATE TABLE directory_groups (uid TEXT PRIMARY KEY, marketplace TEXT NOT NULL, name TEXT NOT NULL,"
       " email TEXT NOT NULL, currency TEXT NOT NULL, timezone TEXT NOT NULL, country TEXT NOT NULL DEFAULT '',"
       " city TEXT NOT NULL DEFAULT '', org_uid TEXT NOT NULL DEFAULT '', free_trial_end TEXT NOT NULL,"
       " has_credit_card INTEGER NOT NULL DEFAULT 0);"
       "CREATE INDEX directory_groups_marketplace ON directory_groups (marketplace);"
       "CREATE TABLE directory_memberships (user_uid TEXT NOT NULL, group_uid TEXT NOT NULL, role TEXT NOT NULL,"
       " PRIMARY KEY (user_uid, group_uid));",
       ""},
      {3, "IdP options per marketplace and IdP login cookies",
       "CREATE TABLE idp_options (marketplace TEXT PRIMARY KEY, algorithm TEXT NOT NULL, sign_response INTEGER NOT NULL,"
       " clock_offset INTEGER NOT NULL, recheck_seconds INTEGER NOT NULL, broken_mode TEXT NOT NULL,"
       " broken_remaining INTEGER NOT NULL);"
       "CREATE TABLE idp_logins (token TEXT PRIMARY KEY, user_uid TEXT NOT NULL, created_at TEXT NOT NULL);",
       ""},
  };
  // One list for every area of the sandbox: the schema version is the maximum of all of them.
  static const std::vector<mno::db::Migration> all = [] {
    auto v = m;
    for (const auto& a : account_migrations()) v.push_back(a);
    for (const auto& d : delivery_migrations()) v.push_back(d);
    for (const auto& a : connec_migrations()) v.push_back(a);
    return v;
  }();
  return all;
}

MarketplaceRecord record_from(const mno::db::Row& r) {
  return MarketplaceRecord{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.i64(7) != 0};
}

constexpr const char* kSelectMarketplaces =
    "SELECT name, app_id, api_key, app_host, idp_certificate, idp_private_key, idp_fingerprint, legacy_sha1 "
    "FROM marketplaces";

}  // namespace

SandboxState::SandboxState(std::shared_ptr<mno::db::Database> db, std::string public_url)
    : db_(std::move(db)), public_url_(std::move(public_url)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

mno::Status SandboxState::initialise(const std::string& default_app_host) {
  if (auto s = mno::db::migrate(*db_, migrations()); !s) return s;
  return db_->transaction([&](mno::db::Connection& c) -> mno::Status {
    auto rows = c.query("SELECT COUNT(*) FROM environments");
    if (!rows) return rows.error();
    if (rows->at(0).i64(0) == 0) return seed(c, default_app_host);
    // A state from before the directory existed (schema 1) gets the demo directory once.
    auto users = c.query("SELECT COUNT(*) FROM directory_users");
    if (!users) return users.error();
    if (users->at(0).i64(0) == 0) return seed_directory(c, mno::SecureRandom::instance());
    return {};
  });
}

mno::Status SandboxState::reset(const std::string& app_host) {
  return db_->transaction([&](mno::db::Connection& c) -> mno::Status {
    for (const char* sql : {"DELETE FROM marketplaces", "DELETE FROM environments"})
      if (auto r = c.execute(sql); !r) return r.error();
    if (auto s = clear_directory(c); !s) return s;
    return seed(c, app_host);
  });
}

mno::Status SandboxState::seed(mno::db::Connection& c, const std::string& app_host) {
  const auto& env = demo_environment();
  if (auto r = c.execute("INSERT INTO environments (name, api_key, api_secret) VALUES ($1, $2, $3)",
                         {env.name, env.api_key, env.api_secret});
      !r)
    return r.error();
  const auto& keys = seed_keys();
  const auto& markets = demo_marketplaces();
  for (size_t i = 0; i < markets.size(); ++i) {
    const auto& m = markets[i];
    const auto& k = keys.at(i);
    if (auto r = c.execute(
            "INSERT INTO marketplaces (name, app_id, api_key, app_host, idp_certificate, idp_private_key, idp_fingerprint)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {m.name, m.app_id, m.api_key, app_host, k.certificate_pem, k.private_key_pem, k.sha1_fingerprint});
        !r)
      return r.error();
  }
  return seed_directory(c, mno::SecureRandom::instance());
}

mno::Result<EnvironmentRecord> SandboxState::environment() const {
  auto rows = db_->query("SELECT name, api_key, api_secret FROM environments ORDER BY name LIMIT 1");
  if (!rows) return rows.error();
  if (rows->empty()) return mno::make_error("sandbox.no_environment", "the sandbox has no environment; reset it");
  const auto& r = rows->front();
  return EnvironmentRecord{r.text(0), r.text(1), r.text(2)};
}

mno::Result<std::vector<MarketplaceRecord>> SandboxState::marketplaces() const {
  auto rows = db_->query(std::string(kSelectMarketplaces) + " ORDER BY name");
  if (!rows) return rows.error();
  std::vector<MarketplaceRecord> out;
  for (const auto& r : *rows) out.push_back(record_from(r));
  return out;
}

mno::Result<std::optional<MarketplaceRecord>> SandboxState::marketplace(const std::string& name) const {
  auto rows = db_->query(std::string(kSelectMarketplaces) + " WHERE name = $1", {name});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<MarketplaceRecord>{};
  return std::optional<MarketplaceRecord>{record_from(rows->front())};
}

mno::Status SandboxState::set_app_host(const std::string& marketplace, const std::string& app_host) {
  auto r = db_->execute("UPDATE marketplaces SET app_host = $1 WHERE name = $2", {app_host, marketplace});
  if (!r) return r.error();
  if (*r == 0) return mno::make_error("sandbox.unknown_marketplace", "no marketplace named '" + marketplace + "'");
  return {};
}

std::optional<MarketplaceRecord> SandboxState::marketplace_of_app(const std::string& api_id, const std::string& api_key) const {
  auto markets = marketplaces();
  if (!markets) return std::nullopt;
  std::optional<MarketplaceRecord> found;
  for (const auto& m : *markets) {
    bool id_ok = mno::secure_equals(api_id, m.app_id);
    bool key_ok = mno::secure_equals(api_key, m.api_key);
    if (id_ok && key_ok && !found) found = m;
  }
  return found;
}

mno::config::Marketplace SandboxState::describe(const MarketplaceRecord& r) const {
  mno::config::Marketplace m;
  m.name = r.name;
  m.environment = demo_environment().name;
  m.nid = demo_environment().name + "-" + r.name;
  m.app.host = r.app_host;
  m.api.id = r.app_id;
  m.api.key = r.api_key;
  m.api.host = public_url_;
  m.api.base = "/api/v1/";
  m.sso.init_path = "/maestrano/auth/saml/init/" + r.name;
  m.sso.consume_path = "/maestrano/auth/saml/consume/" + r.name;
  m.sso.idp = public_url_;
  m.sso.x509_fingerprint = r.idp_fingerprint;
  m.sso.x509_certificate = r.idp_certificate_pem;
  m.sso.legacy_sha1 = r.legacy_sha1;
  m.connec.host = public_url_;
  m.connec.base_path = "/api/v2";
  m.connec.timeout = std::chrono::seconds(60);
  m.webhooks.account.group_path = "/maestrano/account/groups/:id/" + r.name;
  m.webhooks.account.group_user_path = "/maestrano/account/groups/:group_id/users/:id/" + r.name;
  m.webhooks.connec.external_ids = true;
  m.webhooks.connec.notification_path = "/maestrano/connec/notifications/" + r.name;
  return m;
}

}  // namespace sandbox
