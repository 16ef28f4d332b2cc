// See billing_dispatcher.hpp. The order inside one send: (1) if this row may already exist on the
// platform (it was claimed before), look it up by reference; (2) create only when the platform has
// none; (3) on an ambiguous create, look it up at once, and otherwise leave the row pending so the
// next attempt looks again before creating. A row is done only with the platform's id in hand.
#include "tally/worker/billing_dispatcher.hpp"

#include <algorithm>

#include "mno/account/bill_reference.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "tally/store/billing_store.hpp"
#include "tally/store/company_store.hpp"

namespace tally {
namespace {

// What became of one send.
struct Outcome {
  enum class Kind { done, retry, failed } kind = Kind::retry;
  std::string platform_id;
  std::string platform_status;
  std::string error;  // "code: message"
};

Outcome done(std::string id, std::string status) { return {Outcome::Kind::done, std::move(id), std::move(status), ""}; }
Outcome retry(const mno::Error& e) { return {Outcome::Kind::retry, "", "", e.code + ": " + e.message}; }
Outcome retry(std::string why) { return {Outcome::Kind::retry, "", "", std::move(why)}; }
Outcome failed(const mno::Error& e) {
  std::string why = e.code + ": " + e.message;
  for (const auto& [field, msg] : e.fields) why += " [" + field + ": " + msg + "]";
  return {Outcome::Kind::failed, "", "", std::move(why)};
}

// The platform refused the request itself: sending it again cannot succeed.
bool is_rejection(const mno::Error& e) { return e.code == mno::account::kInvalid || e.code == mno::account::kBadArgument; }

// A create whose outcome is unknown (lost answer, 5xx, or a 2xx we could not read).
bool maybe_applied(const mno::Error& e) {
  return mno::account::may_have_been_applied(e) || e.code == mno::account::kBadResponse;
}

// Generic create-or-find of one platform object (Bill or RecurringBill).
template <class Found, class Create>
Outcome create_once(const Charge& c, Found&& find, Create&& create) {
  if (c.attempts > 1) {  // claimed before: the earlier attempt may have created it
    auto existing = find();
    if (!existing) return retry(existing.error());
    if (*existing) return done((*existing)->id, (*existing)->status);
  }
  auto created = create();
  if (created) return done(created->id, created->status);
  const mno::Error& e = created.error();
  if (is_rejection(e)) return failed(e);
  if (maybe_applied(e)) {
    auto existing = find();
    if (existing && *existing) return done((*existing)->id, (*existing)->status);
  }
  return retry(e);
}

}  // namespace

BillingDispatcher::BillingDispatcher(mno::db::Database& db, const mno::Clock& clock, mno::Random& random,
                                     const mno::config::Registry& registry,
                                     std::function<std::shared_ptr<mno::http::HttpClient>()> http,
                                     std::function<const BillingSettings&()> settings, BillingDispatcherOptions options)
    : db_(db),
      clock_(clock),
      random_(random),
      registry_(registry),
      http_(std::move(http)),
      settings_(std::move(settings)),
      options_(std::move(options)) {
  if (options_.owner.empty()) options_.owner = "billing-" + random_.hex_token(8);
  options_.client.clock = &clock_;
  options_.client.random = &random_;
}

mno::Result<int> BillingDispatcher::run_once() {
  const BillingSettings& settings = settings_();
  auto claimed = store::claim_charges(db_, options_.owner, settings.lease, options_.batch, clock_.now());
  if (!claimed) return claimed.error();
  for (const Charge& c : *claimed) {
    // The company and, for a cancel, the row it cancels (read outside the send).
    auto ctx = db_.transact(
        [&](mno::db::Connection& tx) -> mno::Result<std::pair<Company, std::optional<Charge>>> {
          auto company = store::find_company(tx, c.company_id);
          if (!company) return company.error();
          if (!*company) return mno::make_error("record.not_found", "company " + std::to_string(c.company_id) + " is gone");
          std::optional<Charge> target;
          if (c.target_charge_id) {
            auto t = store::find_charge(tx, *c.target_charge_id);
            if (!t) return t.error();
            target = *t;
          }
          return std::make_pair(**company, target);
        },
        mno::db::TxKind::read);
    if (!ctx) return ctx.error();
    const Company& company = ctx->first;

    Outcome outcome;
    auto marketplace = company.marketplace ? registry_.find(*company.marketplace) : nullptr;
    auto http = http_ ? http_() : nullptr;
    if (!company.marketplace || !company.external_uid) {
      outcome = failed(mno::make_error("billing.not_available", "the company has no marketplace group"));
    } else if (!marketplace) {
      outcome = retry("billing.no_marketplace: marketplace " + *company.marketplace + " is not configured");
    } else if (!http) {
      outcome = retry("billing.no_http: no HTTP client for the platform");
    } else {
      mno::account::AccountClient client(*marketplace, *http, options_.client);
      const std::string& group = *company.external_uid;
      const std::string description = mno::account::description_with_reference(c.description, c.reference);
      switch (c.kind) {
        case ChargeKind::bill:
          outcome = create_once(
              c, [&] { return client.find_bill_by_reference(group, c.reference); },
              [&] {
                mno::account::NewBill b;
                b.group_id = group;
                b.price_cents = c.price_cents;
                b.description = description;
                b.currency = c.currency;
                return client.create_bill(b);
              });
          break;
        case ChargeKind::recurring_bill:
          outcome = create_once(
              c, [&] { return client.find_recurring_bill_by_reference(group, c.reference); },
              [&] {
                mno::account::NewRecurringBill b;
                b.group_id = group;
                b.price_cents = c.price_cents;
                b.description = description;
                b.currency = c.currency;
                b.period = c.period.empty() ? "Month" : c.period;
                b.frequency = c.frequency;
                // Late sends (platform down at the trial end) start now: the platform refuses past dates.
                auto start = c.start_date ? mno::parse_iso8601(*c.start_date) : mno::Result<mno::TimePoint>(clock_.now());
                b.start_date = std::max(start ? *start : clock_.now(), clock_.now());
                return client.create_recurring_bill(b);
              });
          break;
        case ChargeKind::cancel_recurring: {
          const auto& target = ctx->second;
          std::optional<std::string> platform_id = target ? target->platform_id : std::nullopt;
          if (target && !platform_id && target->state == ChargeState::failed) {
            // A create that gave up may still have been applied: look for it before calling it absent.
            auto found = client.find_recurring_bill_by_reference(group, target->reference);
            if (!found) {
              outcome = retry(found.error());
              break;
            }
            if (*found) platform_id = (*found)->id;
          }
          if (!platform_id) {
            outcome = done("", "nothing to cancel");
            break;
          }
          auto r = client.cancel_recurring_bill(*platform_id);
          if (r) outcome = done(r->id, r->status);
          else if (is_rejection(r.error())) outcome = failed(r.error());
          else outcome = retry(r.error());
          break;
        }
      }
    }

    const auto now = clock_.now();
    if (outcome.kind == Outcome::Kind::retry && c.attempts >= settings.max_attempts) {
      outcome.kind = Outcome::Kind::failed;
      outcome.error = "gave up after " + std::to_string(c.attempts) + " attempts: " + outcome.error;
    }
    auto recorded = db_.transact([&](mno::db::Connection& tx) -> mno::Result<bool> {
      switch (outcome.kind) {
        case Outcome::Kind::done: {
          auto ok = store::mark_charge_done(tx, c, outcome.platform_id, outcome.platform_status, now);
          if (!ok || !*ok) return ok;
          if (c.kind == ChargeKind::cancel_recurring && c.target_charge_id && !outcome.platform_id.empty())
            if (auto s = store::set_platform_status(tx, *c.target_charge_id, outcome.platform_status,
                                                    mno::format_iso8601(now));
                !s)
              return s.error();
          return true;
        }
        case Outcome::Kind::failed: return store::mark_charge_failed(tx, c, outcome.error, now);
        case Outcome::Kind::retry: {
          // Full jitter (security.md 4): random(0, min(cap, base * 2^attempts)).
          const auto base = settings.retry_base.count();
          const int shift = std::min(c.attempts, 20);
          const auto ceiling = std::min<int64_t>(settings.retry_cap.count(), base << shift);
          const auto wait = std::chrono::milliseconds(random_.uniform(static_cast<uint64_t>(std::max<int64_t>(ceiling, 1))));
          return store::mark_charge_retry(tx, c, now + wait, outcome.error, now);
        }
      }
      return false;
    });
    if (!recorded) return recorded.error();
    const std::string kind(to_string(c.kind));
    const std::string company_id = std::to_string(c.company_id);
    const std::string attempt = std::to_string(c.attempts);
    if (!*recorded) {
      mno::log::warn("billing.lease_lost", {{"reference", c.reference}, {"kind", kind}, {"company_id", company_id}});
    } else if (outcome.kind == Outcome::Kind::done) {
      mno::log::info("billing.charge_sent", {{"reference", c.reference}, {"kind", kind}, {"company_id", company_id},
                                             {"attempt", attempt}, {"platform_id", outcome.platform_id}});
    } else {
      mno::log::event(outcome.kind == Outcome::Kind::failed ? mno::log::Level::error : mno::log::Level::warn,
                      outcome.kind == Outcome::Kind::failed ? "billing.charge_failed" : "billing.charge_retry",
                      {{"reference", c.reference}, {"kind", kind}, {"company_id", company_id}, {"attempt", attempt},
                       {"error", outcome.error}});
    }
  }
  return static_cast<int>(claimed->size());
}

}  // namespace tally
