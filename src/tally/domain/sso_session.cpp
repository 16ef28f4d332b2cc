// See sso_session.hpp.
#include "tally/domain/sso_session.hpp"

#include "mno/saml/url_codec.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"

namespace tally {
namespace {

std::string get(const SessionData& d, const char* key) {
  auto it = d.find(key);
  return it == d.end() ? std::string() : it->second;
}

}  // namespace

void store_mno_session(SessionData& data, const mno::sso::MnoSession& s) {
  data[kMnoMarketplaceKey] = s.marketplace;
  data[kMnoUidKey] = s.uid;
  data[kMnoTokenKey] = s.token;
  data[kMnoRecheckKey] = mno::format_iso8601(s.recheck);
  data[kMnoGroupKey] = s.group_uid;
  data.erase(kMnoCheckFailedKey);
}

std::optional<mno::sso::MnoSession> load_mno_session(const SessionData& data) {
  mno::sso::MnoSession s;
  s.marketplace = get(data, kMnoMarketplaceKey);
  s.uid = get(data, kMnoUidKey);
  if (s.marketplace.empty() || s.uid.empty()) return std::nullopt;
  s.token = get(data, kMnoTokenKey);
  s.group_uid = get(data, kMnoGroupKey);
  // An unreadable recheck time counts as passed: the platform is asked.
  auto t = mno::parse_iso8601(get(data, kMnoRecheckKey));
  s.recheck = t.ok() ? *t : mno::TimePoint{};
  return s;
}

void clear_mno_session(SessionData& data) {
  for (const char* k : {kMnoMarketplaceKey, kMnoUidKey, kMnoTokenKey, kMnoRecheckKey, kMnoGroupKey, kMnoCheckFailedKey})
    data.erase(k);
}

RecheckResult recheck_mno_session(SessionData& data, const mno::config::Marketplace* marketplace,
                                  mno::http::HttpClient* http, const mno::Clock& clock) {
  using mno::sso::SessionDecision;
  RecheckResult out;
  auto s = load_mno_session(data);
  if (!s) return out;  // not an SSO session
  if (!marketplace) {
    out.decision = SessionDecision::reauthenticate;
    out.reason = "sso.unknown_marketplace";
    return out;
  }
  if (!marketplace->sso.slo_enabled) return out;  // spec 3.8: valid when single logout is off
  const mno::TimePoint now = clock.now();
  if (!s->uid.empty() && !s->token.empty() && now < s->recheck) return out;  // not due yet: nothing asked

  // Grace is counted from the first failed check: evaluate() measures it from s.recheck, so hand it
  // the time of that failure (or now, for a first check) in place of the stored recheck time.
  std::optional<mno::TimePoint> failed_since;
  if (auto f = mno::parse_iso8601(get(data, kMnoCheckFailedKey)); f.ok()) failed_since = *f;
  mno::sso::MnoSession probe = *s;
  probe.recheck = failed_since.value_or(now);

  mno::sso::CheckResult detail;
  if (http) {
    mno::sso::SessionChecker checker(*marketplace, *http, clock);
    out.decision = checker.evaluate(probe, &detail);
  } else {
    // No client configured: the same rule as an unreachable platform.
    detail.reason = "sso.check_transport";
    out.decision = now < probe.recheck + marketplace->sso.recheck_grace ? SessionDecision::keep_in_grace
                                                                        : SessionDecision::reauthenticate;
  }
  out.reason = detail.reason;
  switch (out.decision) {
    case SessionDecision::keep:
      data[kMnoRecheckKey] = mno::format_iso8601(probe.recheck);
      data.erase(kMnoCheckFailedKey);
      out.data_changed = true;
      break;
    case SessionDecision::keep_in_grace:
      if (!failed_since) {
        data[kMnoCheckFailedKey] = mno::format_iso8601(now);
        out.data_changed = true;
      }
      break;
    case SessionDecision::reauthenticate:
      break;
  }
  return out;
}

std::string sso_init_location(const mno::config::Marketplace& m, const std::string& group_uid) {
  std::string path = m.sso.init_path;
  if (path.empty() || path[0] != '/' || (path.size() > 1 && (path[1] == '/' || path[1] == '\\')))
    path = "/maestrano/auth/saml/init/" + mno::saml::url_encode(m.name);
  if (!group_uid.empty()) path += std::string(path.find('?') == std::string::npos ? "?" : "&") + "group_id=" + mno::saml::url_encode(group_uid);
  return path;
}

}  // namespace tally
