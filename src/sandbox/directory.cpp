// See directory.hpp. Validation lives here so the control API and the admin UI reject the same
// inputs with the same field-naming errors.
#include "sandbox/directory.hpp"

#include <algorithm>
#include <cctype>

#include "mno/util/iso8601.hpp"
#include "mno/util/secure_compare.hpp"

namespace sandbox {
namespace {

constexpr const char* kUserColumns =
    "uid, first_name, last_name, email, country, company_name, session_token, session_valid";
constexpr const char* kGroupColumns =
    "uid, marketplace, name, email, currency, timezone, country, city, org_uid, free_trial_end, has_credit_card";

DirectoryUser user_from(const mno::db::Row& r) {
  return DirectoryUser{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.flag(7)};
}

DirectoryGroup group_from(const mno::db::Row& r) {
  return DirectoryGroup{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5),
                        r.text(6), r.text(7), r.text(8), r.text(9), r.flag(10)};
}

mno::Error invalid(const std::string& field, const std::string& why) {
  auto e = mno::make_error("directory.invalid_field", field + " " + why);
  e.fields[field] = why;
  return e;
}

bool is_upper_code(std::string_view s, size_t len) {
  return s.size() == len && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool is_plausible_email(std::string_view s) {
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() || s.size() > 254) return false;
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) || c < 0x20; });
}

// usr-… / cld-…: letters, digits, '-' and '_' only (no '.', spec 3.7).
bool is_valid_uid(std::string_view uid, std::string_view prefix) {
  if (uid.size() <= prefix.size() || uid.size() > 64 || uid.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(uid.begin() + prefix.size(), uid.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

mno::Status check_text(const std::string& field, const std::string& value, bool required, size_t max = 200) {
  if (required && value.empty()) return invalid(field, "is required");
  if (value.size() > max) return invalid(field, "is longer than " + std::to_string(max) + " characters");
  if (std::any_of(value.begin(), value.end(), [](unsigned char c) { return c < 0x20; }))
    return invalid(field, "contains control characters");
  return {};
}

// The next free "<prefix>N" among the uids of a table.
mno::Result<std::string> next_uid(mno::db::Connection& c, const std::string& table, const std::string& prefix) {
  auto rows = c.query("SELECT uid FROM " + table);
  if (!rows) return rows.error();
  long max = 0;
  for (const auto& r : *rows) {
    auto uid = r.text(0);
    if (uid.rfind(prefix, 0) != 0) continue;
    auto digits = uid.substr(prefix.size());
    if (digits.empty() || digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) continue;
    max = std::max(max, std::stol(digits));
  }
  return prefix + std::to_string(max + 1);
}

std::string new_session_token(mno::Random& random) { return random.hex_token(18); }

struct SeedUser {
  const char *uid, *first, *last, *email, *country, *company;
};
struct SeedGroup {
  const char *uid, *marketplace, *name, *email, *currency, *timezone, *country, *city, *org_uid, *trial_end;
  bool card;
};
struct SeedMembership {
  const char *user, *group, *role;
};

}  // namespace

const std::vector<std::string>& directory_roles() {
  static const std::vector<std::string> r = {"Member", "Power User", "Admin", "Super Admin"};
  return r;
}

bool is_valid_role(std::string_view role) {
  const auto& r = directory_roles();
  return std::find(r.begin(), r.end(), role) != r.end();
}

Directory::Directory(std::shared_ptr<mno::db::Database> db, const mno::Clock& clock, mno::Random& random)
    : db_(std::move(db)), clock_(clock), random_(random) {}

mno::Result<std::vector<DirectoryUser>> Directory::users() const {
  auto rows = db_->query(std::string("SELECT ") + kUserColumns + " FROM directory_users ORDER BY uid");
  if (!rows) return rows.error();
  std::vector<DirectoryUser> out;
  for (const auto& r : *rows) out.push_back(user_from(r));
  return out;
}

mno::Result<std::optional<DirectoryUser>> Directory::user(const std::string& uid) const {
  auto rows = db_->query(std::string("SELECT ") + kUserColumns + " FROM directory_users WHERE uid = $1", {uid});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<DirectoryUser>{};
  return std::optional<DirectoryUser>{user_from(rows->front())};
}

mno::Result<DirectoryUser> Directory::create_user(NewUser u) {
  if (!u.uid.empty() && !is_valid_uid(u.uid, "usr-"))
    return invalid("uid", "must be usr- followed by letters, digits, '-' or '_'");
  for (auto [field, value, required] : {std::tuple{"first_name", &u.first_name, true}, {"last_name", &u.last_name, true},
                                        {"company_name", &u.company_name, false}})
    if (auto s = check_text(field, *value, required); !s) return s.error();
  if (!is_plausible_email(u.email)) return invalid("email", "must be an email address");
  if (!u.country.empty() && !is_upper_code(u.country, 2)) return invalid("country", "must be an ISO 3166-1 alpha-2 code like AU");
  return db_->transact([&](mno::db::Connection& c) -> mno::Result<DirectoryUser> {
    DirectoryUser out{u.uid, u.first_name, u.last_name, u.email, u.country, u.company_name, new_session_token(random_), true};
    if (out.uid.empty()) {
      auto uid = next_uid(c, "directory_users", "usr-");
      if (!uid) return uid.error();
      out.uid = *uid;
    } else {
      auto exists = c.query_one("SELECT 1 FROM directory_users WHERE uid = $1", {out.uid});
      if (!exists) return exists.error();
      if (*exists) return mno::make_error("directory.duplicate", "a user with uid " + out.uid + " exists");
    }
    auto r = c.execute(std::string("INSERT INTO directory_users (") + kUserColumns + ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                       {out.uid, out.first_name, out.last_name, out.email, out.country, out.company_name,
                        out.session_token, out.session_valid});
    if (!r) return r.error();
    return out;
  });
}

mno::Result<std::vector<DirectoryGroup>> Directory::groups(const std::string& marketplace) const {
  auto rows = marketplace.empty()
                  ? db_->query(std::string("SELECT ") + kGroupColumns + " FROM directory_groups ORDER BY uid")
                  : db_->query(std::string("SELECT ") + kGroupColumns + " FROM directory_groups WHERE marketplace = $1 ORDER BY uid",
                               {marketplace});
  if (!rows) return rows.error();
  std::vector<DirectoryGroup> out;
  for (const auto& r : *rows) out.push_back(group_from(r));
  return out;
}

mno::Result<std::optional<DirectoryGroup>> Directory::group(const std::string& uid) const {
  auto rows = db_->query(std::string("SELECT ") + kGroupColumns + " FROM directory_groups WHERE uid = $1", {uid});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<DirectoryGroup>{};
  return std::optional<DirectoryGroup>{group_from(rows->front())};
}

mno::Result<DirectoryGroup> Directory::create_group(NewGroup g) {
  if (!g.uid.empty() && !is_valid_uid(g.uid, "cld-"))
    return invalid("uid", "must be cld- followed by letters, digits, '-' or '_'");
  if (auto s = check_text("marketplace", g.marketplace, true); !s) return s.error();
  for (auto [field, value, required] : {std::tuple{"name", &g.name, true}, {"timezone", &g.timezone, true},
                                        {"city", &g.city, false}, {"org_uid", &g.org_uid, false}})
    if (auto s = check_text(field, *value, required); !s) return s.error();
  if (!g.email.empty() && !is_plausible_email(g.email)) return invalid("email", "must be an email address");
  if (!is_upper_code(g.currency, 3)) return invalid("currency", "must be an ISO 4217 code like USD");
  if (!g.country.empty() && !is_upper_code(g.country, 2)) return invalid("country", "must be an ISO 3166-1 alpha-2 code like AU");
  if (g.free_trial_end.empty()) {
    g.free_trial_end = mno::format_iso8601(clock_.now() + std::chrono::hours(24 * 30));
  } else {
    auto t = mno::parse_iso8601(g.free_trial_end);
    if (!t) return invalid("free_trial_end", "must be an ISO 8601 time like 2030-01-01T00:00:00Z");
    g.free_trial_end = mno::format_iso8601(*t);
  }
  return db_->transact([&](mno::db::Connection& c) -> mno::Result<DirectoryGroup> {
    auto market = c.query_one("SELECT 1 FROM marketplaces WHERE name = $1", {g.marketplace});
    if (!market) return market.error();
    if (!*market) return mno::make_error("directory.unknown_marketplace", "no marketplace named '" + g.marketplace + "'");
    DirectoryGroup out{g.uid, g.marketplace, g.name, g.email, g.currency, g.timezone, g.country, g.city, g.org_uid,
                       g.free_trial_end, g.has_credit_card};
    if (out.uid.empty()) {
      auto uid = next_uid(c, "directory_groups", "cld-");
      if (!uid) return uid.error();
      out.uid = *uid;
    } else {
      auto exists = c.query_one("SELECT 1 FROM directory_groups WHERE uid = $1", {out.uid});
      if (!exists) return exists.error();
      if (*exists) return mno::make_error("directory.duplicate", "a group with uid " + out.uid + " exists");
    }
    if (out.email.empty()) out.email = out.uid + "@example.com";
    auto r = c.execute(std::string("INSERT INTO directory_groups (") + kGroupColumns +
                           ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                       {out.uid, out.marketplace, out.name, out.email, out.currency, out.timezone, out.country, out.city,
                        out.org_uid, out.free_trial_end, out.has_credit_card});
    if (!r) return r.error();
    return out;
  });
}

mno::Result<std::vector<DirectoryMembership>> Directory::memberships() const {
  auto rows = db_->query("SELECT user_uid, group_uid, role FROM directory_memberships ORDER BY group_uid, user_uid");
  if (!rows) return rows.error();
  std::vector<DirectoryMembership> out;
  for (const auto& r : *rows) out.push_back({r.text(0), r.text(1), r.text(2)});
  return out;
}

mno::Status Directory::set_membership(const std::string& user_uid, const std::string& group_uid, const std::string& role) {
  if (!is_valid_role(role)) return invalid("role", "must be one of Member, Power User, Admin, Super Admin");
  return db_->transaction([&](mno::db::Connection& c) -> mno::Status {
    auto u = c.query_one("SELECT 1 FROM directory_users WHERE uid = $1", {user_uid});
    if (!u) return u.error();
    if (!*u) return mno::make_error("directory.unknown_user", "no user " + user_uid);
    auto g = c.query_one("SELECT 1 FROM directory_groups WHERE uid = $1", {group_uid});
    if (!g) return g.error();
    if (!*g) return mno::make_error("directory.unknown_group", "no group " + group_uid);
    auto r = c.execute(
        "INSERT INTO directory_memberships (user_uid, group_uid, role) VALUES ($1, $2, $3)"
        " ON CONFLICT (user_uid, group_uid) DO UPDATE SET role = excluded.role",
        {user_uid, group_uid, role});
    if (!r) return r.error();
    return {};
  });
}

mno::Status Directory::remove_membership(const std::string& user_uid, const std::string& group_uid) {
  auto r = db_->execute("DELETE FROM directory_memberships WHERE user_uid = $1 AND group_uid = $2", {user_uid, group_uid});
  if (!r) return r.error();
  if (*r == 0) return mno::make_error("directory.unknown_membership", user_uid + " is not a member of " + group_uid);
  return {};
}

mno::Result<std::vector<UserGroup>> Directory::groups_of(const std::string& user_uid, const std::string& marketplace) const {
  std::string sql = "SELECT g.uid, g.marketplace, g.name, g.email, g.currency, g.timezone, g.country, g.city, g.org_uid,"
                    " g.free_trial_end, g.has_credit_card, m.role FROM directory_memberships m"
                    " JOIN directory_groups g ON g.uid = m.group_uid WHERE m.user_uid = $1 AND g.marketplace = $2 ORDER BY g.uid";
  auto rows = db_->query(sql, {user_uid, marketplace});
  if (!rows) return rows.error();
  std::vector<UserGroup> out;
  for (const auto& r : *rows) out.push_back({group_from(r), r.text(11)});
  return out;
}

mno::Result<std::string> Directory::regenerate_session(const std::string& user_uid) {
  auto token = new_session_token(random_);
  auto r = db_->execute("UPDATE directory_users SET session_token = $1 WHERE uid = $2", {token, user_uid});
  if (!r) return r.error();
  if (*r == 0) return mno::make_error("directory.unknown_user", "no user " + user_uid);
  return token;
}

mno::Status Directory::set_session_valid(const std::string& user_uid, bool valid) {
  auto r = db_->execute("UPDATE directory_users SET session_valid = $1 WHERE uid = $2", {valid, user_uid});
  if (!r) return r.error();
  if (*r == 0) return mno::make_error("directory.unknown_user", "no user " + user_uid);
  return {};
}

mno::Result<bool> Directory::session_is_valid(std::string_view id, std::string_view token) const {
  std::string uid(id.substr(0, id.find('.')));
  auto u = user(uid);
  if (!u) return u.error();
  if (!*u || token.empty()) return false;
  return (*u)->session_valid && mno::secure_equals(token, (*u)->session_token);
}

mno::Result<std::string> Directory::create_login(const std::string& user_uid) {
  auto token = random_.url_token(32);
  return db_->transact([&](mno::db::Connection& c) -> mno::Result<std::string> {
    auto u = c.query_one("SELECT 1 FROM directory_users WHERE uid = $1", {user_uid});
    if (!u) return u.error();
    if (!*u) return mno::make_error("directory.unknown_user", "no user " + user_uid);
    auto r = c.execute("INSERT INTO idp_logins (token, user_uid, created_at) VALUES ($1, $2, $3)",
                       {token, user_uid, mno::format_iso8601(clock_.now())});
    if (!r) return r.error();
    return token;
  });
}

mno::Result<std::optional<std::string>> Directory::login_user(const std::string& token) const {
  if (token.empty()) return std::optional<std::string>{};
  auto rows = db_->query("SELECT l.user_uid FROM idp_logins l JOIN directory_users u ON u.uid = l.user_uid WHERE l.token = $1",
                         {token});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::string>{};
  return std::optional<std::string>{rows->front().text(0)};
}

mno::Status Directory::end_login(const std::string& token) {
  auto r = db_->execute("DELETE FROM idp_logins WHERE token = $1", {token});
  if (!r) return r.error();
  return {};
}

mno::Status Directory::end_logins_of(const std::string& user_uid) {
  auto r = db_->execute("DELETE FROM idp_logins WHERE user_uid = $1", {user_uid});
  if (!r) return r.error();
  return {};
}

mno::Status clear_directory(mno::db::Connection& c) {
  for (const char* sql : {"DELETE FROM directory_memberships", "DELETE FROM directory_groups", "DELETE FROM directory_users",
                          "DELETE FROM idp_logins", "DELETE FROM idp_options"})
    if (auto r = c.execute(sql); !r) return r.error();
  return {};
}

// The demo directory of docs/sandbox.md. Per marketplace: one user with one group, one user with
// two groups (group picker), and usr-4 with no group anywhere (403 access denied). A '&' in a group
// name keeps the XML escaping honest.
mno::Status seed_directory(mno::db::Connection& c, mno::Random& random) {
  static const SeedUser users[] = {
      {"usr-1", "John", "Doe", "john.doe@example.com", "AU", "DoeCorp"},
      {"usr-2", "Jane", "Roe", "jane.roe@example.com", "US", "Roe Consulting"},
      {"usr-3", "Ahmed", "Khan", "ahmed.khan@example.com", "GB", "Khan Trading"},
      {"usr-4", "Nina", "Nogroup", "nina.nogroup@example.com", "FR", ""},
  };
  static const SeedGroup groups[] = {
      {"cld-1", "maestrano-sandbox", "Doe Corp", "admin@doecorp.example.com", "USD", "America/Los_Angeles", "US",
       "Los Angeles", "org-1", "2030-01-01T00:00:00Z", true},
      {"cld-2", "maestrano-sandbox", "Roe Works", "admin@roeworks.example.com", "AUD", "Australia/Sydney", "AU", "Sydney",
       "org-2", "2030-01-01T00:00:00Z", false},
      {"cld-3", "partner-market", "Partner Traders", "admin@traders.example.com", "EUR", "Europe/Paris", "FR", "Paris",
       "org-3", "2030-01-01T00:00:00Z", false},
      {"cld-4", "partner-market", "Khan & Sons", "admin@khansons.example.com", "GBP", "Europe/London", "GB", "London",
       "org-4", "2030-01-01T00:00:00Z", true},
  };
  static const SeedMembership memberships[] = {
      {"usr-1", "cld-1", "Admin"},       {"usr-2", "cld-1", "Member"},     {"usr-2", "cld-2", "Super Admin"},
      {"usr-3", "cld-2", "Power User"},  {"usr-1", "cld-3", "Super Admin"}, {"usr-3", "cld-3", "Member"},
      {"usr-2", "cld-4", "Admin"},       {"usr-3", "cld-4", "Admin"},
  };
  auto markets = c.query("SELECT name FROM marketplaces");
  if (!markets) return markets.error();
  auto has_market = [&](const std::string& name) {
    return std::any_of(markets->begin(), markets->end(), [&](const mno::db::Row& r) { return r.text(0) == name; });
  };
  for (const auto& u : users)
    if (auto r = c.execute(std::string("INSERT INTO directory_users (") + kUserColumns + ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                           {u.uid, u.first, u.last, u.email, u.country, u.company, new_session_token(random), true});
        !r)
      return r.error();
  std::vector<std::string> seeded;
  for (const auto& g : groups) {
    if (!has_market(g.marketplace)) continue;
    if (auto r = c.execute(std::string("INSERT INTO directory_groups (") + kGroupColumns +
                               ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                           {g.uid, g.marketplace, g.name, g.email, g.currency, g.timezone, g.country, g.city, g.org_uid,
                            g.trial_end, g.card});
        !r)
      return r.error();
    seeded.push_back(g.uid);
  }
  for (const auto& m : memberships) {
    if (std::find(seeded.begin(), seeded.end(), m.group) == seeded.end()) continue;
    if (auto r = c.execute("INSERT INTO directory_memberships (user_uid, group_uid, role) VALUES ($1, $2, $3)",
                           {m.user, m.group, m.role});
        !r)
      return r.error();
  }
  return {};
}

}  // namespace sandbox
