// See sso_provisioning.hpp. Every lookup and write happens on the one transaction's Connection; the
// only thing that happens outside it is the log line, after commit, so a rolled-back attempt (or a
// retry after contention) logs nothing misleading.
#include "tally/domain/sso_provisioning.hpp"

#include <cctype>
#include <vector>

#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "tally/domain/ascii_text.hpp"
#include "tally/store/company_store.hpp"
#include "tally/store/identity_store.hpp"
#include "tally/store/membership_store.hpp"
#include "tally/store/user_store.hpp"

namespace tally {
namespace {

// Cuts UTF-8 text to at most max bytes without splitting a character (names are bounded like the forms').
std::string bounded(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

// Company settings from the group; platform values that Tally would refuse fall back to safe defaults.
// fallbacks gets "field=value " for each replaced value.
CompanySettingsInput company_settings(const mno::sso::Group& g, std::string& fallbacks) {
  CompanySettingsInput in;
  in.name = ascii::trim(g.name);
  if (in.name.empty()) in.name = ascii::trim(g.company_name);
  if (in.name.empty()) in.name = g.uid;
  in.name = bounded(in.name, 200);
  in.currency = ascii::to_upper(ascii::trim(g.currency));
  if (!is_currency_code(in.currency)) {
    fallbacks += "currency=" + in.currency + " ";
    in.currency = "USD";
  }
  in.timezone = ascii::trim(g.timezone);
  if (!is_timezone_name(in.timezone)) {
    fallbacks += "timezone=" + in.timezone + " ";
    in.timezone = "UTC";
  }
  in.country = ascii::to_upper(ascii::trim(g.country));
  if (!in.country.empty() && !is_country_code(in.country)) {
    fallbacks += "country=" + in.country + " ";
    in.country.clear();
  }
  return in;
}

// Log lines decided inside the transaction, written only once it committed. Each is logged with the
// marketplace and uid plus a free-text reason.
struct Notes {
  std::vector<std::pair<std::string, std::string>> lines;  // event, reason
  void add(std::string event, std::string reason) { lines.emplace_back(std::move(event), std::move(reason)); }
};

}  // namespace

std::string placeholder_sso_email(const std::string& marketplace, const std::string& uid) {
  auto clean = [](const std::string& s) {
    std::string out;
    for (char c : ascii::to_lower(s))
      out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
    return out.empty() ? std::string("x") : out;
  };
  return bounded(clean(uid) + "." + clean(marketplace), 200) + "@sso.invalid";
}

SsoProvisioning::SsoProvisioning(mno::db::Database& db, const mno::Clock& clock, CompanyService& companies)
    : db_(db), clock_(clock), companies_(companies) {}

mno::Result<SsoProvisioned> SsoProvisioning::provision(const std::string& marketplace, const mno::sso::Identity& id) {
  const auto& uid = id.user.uid;
  const auto& group_uid = id.group.uid;
  if (marketplace.empty() || uid.empty() || group_uid.empty())
    return mno::make_error("sso.provisioning", "marketplace, user uid and group uid are required");

  Notes pre;
  auto role = parse_role(id.membership.role);
  if (!role) pre.add("sso.unknown_role", "platform role '" + id.membership.role + "' is not a Tally role: Member given");
  const Role platform_role = role.value_or(Role::member);

  std::string email = ascii::trim(id.user.email);
  if (!is_valid_email(email)) {
    pre.add("sso.email_unusable", "the platform email is not a valid address");
    email.clear();
  }
  const std::string email_key = normalize_email(email);
  const std::string first = bounded(ascii::trim(id.user.first_name), 100);
  const std::string last = bounded(ascii::trim(id.user.last_name), 100);
  std::string fallbacks;
  const CompanySettingsInput settings = company_settings(id.group, fallbacks);
  const mno::TimePoint now_tp = clock_.now();
  const bool in_trial = id.group.free_trial_end > now_tp;

  Notes notes;
  auto attempt = [&]() {
    return db_.transact([&](mno::db::Connection& tx) -> mno::Result<SsoProvisioned> {
      notes = Notes{};
      const std::string now = mno::format_iso8601(now_tp);
      SsoProvisioned out;
      out.marketplace = marketplace;

      // 1.2.1 the company of the group.
      auto existing = store::find_company_by_external_uid(tx, marketplace, group_uid);
      if (!existing.ok()) return existing.error();
      if (*existing) {
        out.company = **existing;
      } else {
        NewCompany nc{settings, in_trial ? CompanyStatus::trialing : CompanyStatus::active, marketplace, group_uid,
                      mno::format_iso8601(id.group.free_trial_end)};
        auto created = companies_.create(tx, nc);
        if (!created.ok()) return created.error();
        out.company = *created;
        out.company_created = true;
        if (!fallbacks.empty())
          notes.add("sso.company_defaults_used", "group " + group_uid + " had invalid settings, defaults used for: " + fallbacks);
      }

      // 1.3.1 / 1.4.1 / 1.2.3 the user.
      auto known = store::find_user_by_identity(tx, marketplace, uid);
      if (!known.ok()) return known.error();
      std::optional<int64_t> user_id = *known;
      if (!user_id && !email.empty()) {
        auto matches = store::find_user_ids_by_email(tx, email_key);
        if (!matches.ok()) return matches.error();
        if (matches->size() == 1) {
          auto linked = store::find_identity_of_user(tx, marketplace, matches->front());
          if (!linked.ok()) return linked.error();
          if (!*linked) {
            user_id = matches->front();
            if (auto s = store::insert_identity(tx, marketplace, uid, *user_id, now); !s.ok()) return s.error();
            out.linked_by_email = true;
            notes.add("sso.user_migrated", "email matches local user " + std::to_string(*user_id) + ": identity linked to it");
          } else {
            notes.add("sso.migration_refused", "the local user with this email (" + std::to_string(matches->front()) +
                                                   ") is already linked to uid " + **linked + " of this marketplace");
          }
        } else if (matches->size() > 1) {
          notes.add("sso.migration_refused", "several local users have this email");
        }
      }

      if (user_id) {
        auto rec = store::find_user(tx, *user_id, /*lock=*/true);
        if (!rec.ok()) return rec.error();
        if (!*rec) return mno::make_error("sso.provisioning", "the linked user no longer exists");
        const User& u = (*rec)->user;
        if (u.status != UserStatus::active)
          return mno::make_error("auth.forbidden", "This account is disabled in Tally.");
        std::string new_email = u.email;
        std::string new_key = normalize_email(u.email);
        if (!email.empty() && email != u.email) {
          if (email_key == new_key) {
            new_email = email;  // only the case changed: same key
          } else {
            auto taken = store::find_user_ids_by_email(tx, email_key);
            if (!taken.ok()) return taken.error();
            if (taken->empty()) {
              new_email = email;
              new_key = email_key;
            } else {
              notes.add("sso.email_kept", "the new platform email of user " + std::to_string(u.id) +
                                              " belongs to another local user: old email kept");
            }
          }
        }
        if (new_email != u.email || first != u.first_name || last != u.last_name) {
          auto n = store::update_user_profile(tx, u.id, new_email, new_key, first, last, now);
          if (!n.ok()) return n.error();
          auto again = store::find_user(tx, u.id);
          if (!again.ok()) return again.error();
          out.user = (**again).user;
        } else {
          out.user = u;
        }
      } else {
        std::string use_email = email;
        std::string use_key = email_key;
        bool taken = use_email.empty();
        if (!taken) {
          auto matches = store::find_user_ids_by_email(tx, email_key);
          if (!matches.ok()) return matches.error();
          taken = !matches->empty();
        }
        if (taken) {
          use_email = placeholder_sso_email(marketplace, uid);
          use_key = normalize_email(use_email);
          notes.add("sso.placeholder_email", "the platform email is missing or taken by another local user: placeholder address given");
        }
        auto rec = store::insert_user(tx, use_email, use_key, first, last, std::nullopt, now);
        if (!rec.ok()) return rec.error();
        out.user = rec->user;
        out.user_created = true;
        if (auto s = store::insert_identity(tx, marketplace, uid, out.user.id, now); !s.ok()) return s.error();
      }

      // 1.2.2 / 1.2.3 / 1.3.1 the membership: the platform is the authority on who belongs and how.
      auto m = store::find_membership(tx, out.user.id, out.company.id, /*lock=*/true);
      if (!m.ok()) return m.error();
      if (!*m) {
        auto ins = store::insert_membership(tx, out.user.id, out.company.id, platform_role, now);
        if (!ins.ok()) return ins.error();
      } else if ((*m)->role != platform_role || (*m)->status != MembershipStatus::active) {
        if ((*m)->status != MembershipStatus::active)
          notes.add("sso.membership_reactivated", "revoked membership of user " + std::to_string(out.user.id) + " in company " +
                                                     std::to_string(out.company.id) + " re-activated by the platform");
        auto n = store::update_membership(tx, (*m)->id, platform_role, MembershipStatus::active, now);
        if (!n.ok()) return n.error();
      }
      out.role = platform_role;

      if (before_commit_)
        if (auto s = before_commit_(tx, out); !s.ok()) return s.error();
      return out;
    });
  };

  auto result = attempt();
  // Two first logins of the same group (or uid) racing: the loser hit the unique key; once more finds
  // the winner's rows.
  if (!result.ok() && result.error().code == "db.constraint") result = attempt();
  for (const auto& [event, reason] : pre.lines)
    mno::log::warn(event, {{"marketplace", marketplace}, {"uid", uid}, {"reason", reason}});
  if (!result.ok()) {
    mno::log::warn("sso.provisioning_failed", {{"marketplace", marketplace}, {"uid", uid}, {"code", result.error().code}});
    return result;
  }
  for (const auto& [event, reason] : notes.lines)
    mno::log::info(event, {{"marketplace", marketplace}, {"uid", uid}, {"reason", reason}});
  mno::log::info("sso.provisioned", {{"marketplace", marketplace},
                                     {"uid", uid},
                                     {"user_id", std::to_string(result->user.id)},
                                     {"company_id", std::to_string(result->company.id)},
                                     {"company_created", result->company_created ? "true" : "false"},
                                     {"user_created", result->user_created ? "true" : "false"},
                                     {"linked_by_email", result->linked_by_email ? "true" : "false"}});
  return result;
}

}  // namespace tally
