// See billing_service.hpp. Every public change is one transaction holding the company row lock
// (FOR UPDATE on PostgreSQL; SQLite write transactions are exclusive), so two admins changing plans
// at once, or a plan change racing a webhook, serialise and each sees the other's ledger rows.
#include "tally/domain/billing_service.hpp"

#include <algorithm>

#include "mno/sso/identity.hpp"
#include "mno/util/iso8601.hpp"
#include "mno/util/log.hpp"
#include "tally/domain/billing_plans.hpp"
#include "tally/domain/validation.hpp"
#include "tally/store/billing_store.hpp"
#include "tally/store/company_store.hpp"
#include "tally/store/identity_store.hpp"
#include "tally/store/membership_store.hpp"

namespace tally {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

mno::Error not_found() { return mno::make_error("record.not_found", "This company does not exist."); }
mno::Error not_available() {
  return mno::make_error("billing.not_available",
                         "This company did not come from a marketplace, so it has no platform billing.");
}
mno::Error cancelled() { return mno::make_error("billing.cancelled", "This company's subscription was cancelled."); }

std::string iso(mno::TimePoint t) { return mno::format_iso8601(t); }

mno::TimePoint parse_or(const std::optional<std::string>& text, mno::TimePoint fallback) {
  if (!text) return fallback;
  auto t = mno::parse_iso8601(*text);
  return t ? *t : fallback;
}

// "tly-<company>-<random>": unique (the column is UNIQUE, and 64 random bits), valid for bill_reference.
std::string new_reference(mno::Random& random, int64_t company_id) {
  return "tly-" + std::to_string(company_id) + "-" + random.hex_token(8);
}

std::string plan_description(const Plan& plan, int seats) {
  if (plan.kind == PlanKind::per_seat) return "Tally " + plan.name + " (" + std::to_string(seats) + " seats)";
  return "Tally " + plan.name;
}

struct Locked {
  Company company;
  std::optional<Subscription> subscription;
};

mno::Result<Locked> lock_company(mno::db::Connection& tx, int64_t company_id) {
  auto c = store::find_company(tx, company_id, /*lock=*/true);
  if (!c) return c.error();
  if (!*c) return not_found();
  auto s = store::find_subscription(tx, company_id, /*lock=*/true);
  if (!s) return s.error();
  return Locked{**c, *s};
}

}  // namespace

mno::TimePoint next_period_start(mno::TimePoint anchor, mno::TimePoint not_before) {
  if (anchor >= not_before) return anchor;
  const auto anchor_day = std::chrono::floor<days>(anchor);
  const auto time_of_day = anchor - anchor_day;
  const std::chrono::year_month_day ymd{anchor_day};
  const std::chrono::year_month_day target{std::chrono::floor<days>(not_before)};
  // Months between the anchor's month and not_before's month: the answer is that month or the next.
  int months = (static_cast<int>(target.year()) - static_cast<int>(ymd.year())) * 12 +
               (static_cast<int>(static_cast<unsigned>(target.month())) - static_cast<int>(static_cast<unsigned>(ymd.month())));
  for (int n = std::max(0, months - 1);; ++n) {
    auto ym = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{n};
    auto last = std::chrono::year_month_day_last{ym.year(), std::chrono::month_day_last{ym.month()}};
    auto day = std::min(ymd.day(), last.day());
    auto candidate = mno::TimePoint(sys_days{std::chrono::year_month_day{ym.year(), ym.month(), day}}) +
                     std::chrono::duration_cast<mno::TimePoint::duration>(time_of_day);
    if (candidate >= not_before) return candidate;
  }
}

BillingService::BillingService(mno::db::Database& db, const mno::Clock& clock, mno::Random& random,
                               CompanyService& companies)
    : db_(db), clock_(clock), random_(random), companies_(companies) {}

mno::Result<std::optional<Subscription>> BillingService::start(int64_t company_id) {
  return db_.transact([&](mno::db::Connection& tx) -> mno::Result<std::optional<Subscription>> {
    auto c = store::find_company(tx, company_id, /*lock=*/true);
    if (!c) return c.error();
    if (!*c) return not_found();
    return start(tx, **c);
  });
}

mno::Result<std::optional<Subscription>> BillingService::start(mno::db::Connection& tx, const Company& company) {
  if (!company.marketplace) return std::optional<Subscription>{};
  auto existing = store::find_subscription(tx, company.id);
  if (!existing) return existing.error();
  if (*existing) return *existing;

  const mno::TimePoint now = clock_.now();
  Subscription s;
  s.company_id = company.id;
  s.plan_code = std::string(kDefaultPlan);
  s.seats = 1;
  mno::TimePoint trial_end;
  if (company.trial_ends_at && mno::parse_iso8601(*company.trial_ends_at)) {
    trial_end = *mno::parse_iso8601(*company.trial_ends_at);
    s.trial_from_platform = true;
  } else {
    trial_end = now + settings_.trial_length;
    if (company.status == CompanyStatus::active || company.status == CompanyStatus::trialing) {
      auto st = companies_.set_status(tx, company.id, CompanyStatus::trialing, iso(trial_end));
      if (!st) return st.error();
    }
  }
  s.trial_ends_at = iso(trial_end);
  s.created_at = s.updated_at = iso(now);
  const Plan plan = *find_plan(kDefaultPlan);
  if (company.status != CompanyStatus::cancelled) {
    const Price price = plan_monthly_price(plan, 1, company.currency);
    Charge rc;
    rc.company_id = company.id;
    rc.reference = new_reference(random_, company.id);
    rc.kind = ChargeKind::recurring_bill;
    rc.description = plan_description(plan, 1);
    rc.price_cents = price.cents;
    rc.currency = price.currency;
    rc.plan_code = plan.code;
    rc.seats = 1;
    rc.start_date = iso(std::max(trial_end, now));
    rc.period = "Month";
    rc.frequency = 1;
    rc.created_at = iso(now);
    auto row = store::insert_charge(tx, rc, now);
    if (!row) return row.error();
    s.recurring_charge_id = row->id;
  }
  auto inserted = store::insert_subscription(tx, s);
  if (!inserted) return inserted.error();
  auto stored = store::find_subscription(tx, company.id);
  if (!stored) return stored.error();
  return *stored;
}

// Stops the current recurring bill (never sent: superseded; else a cancel row after it in the
// ledger) and, when `plan` is given, adds the new one starting at `start`.
static mno::Status replace_recurring(mno::db::Connection& tx, mno::Random& random, const Company& company,
                                     Subscription& sub, const Plan* plan, int seats, mno::TimePoint start,
                                     mno::TimePoint now) {
  const std::string now_iso = iso(now);
  if (sub.recurring_charge_id) {
    auto old = store::find_charge(tx, *sub.recurring_charge_id, /*lock=*/true);
    if (!old) return old.error();
    auto superseded = store::supersede_unsent(tx, *sub.recurring_charge_id, now_iso);
    if (!superseded) return superseded.error();
    const bool stopped = *superseded || !*old || (*old)->state == ChargeState::failed ||
                         (*old)->state == ChargeState::superseded;
    if (!stopped) {
      Charge cancel;
      cancel.company_id = company.id;
      cancel.reference = new_reference(random, company.id);
      cancel.kind = ChargeKind::cancel_recurring;
      cancel.description = "Cancel: " + (*old)->description;
      cancel.currency = (*old)->currency;
      cancel.target_charge_id = (*old)->id;
      cancel.created_at = now_iso;
      auto row = store::insert_charge(tx, cancel, now);
      if (!row) return row.error();
    }
    sub.recurring_charge_id.reset();
  }
  if (plan) {
    const Price price = plan_monthly_price(*plan, seats, company.currency);
    Charge rc;
    rc.company_id = company.id;
    rc.reference = new_reference(random, company.id);
    rc.kind = ChargeKind::recurring_bill;
    rc.description = plan_description(*plan, seats);
    rc.price_cents = price.cents;
    rc.currency = price.currency;
    rc.plan_code = plan->code;
    rc.seats = plan->kind == PlanKind::per_seat ? seats : 1;
    rc.start_date = iso(start);
    rc.period = "Month";
    rc.frequency = 1;
    rc.created_at = now_iso;
    auto row = store::insert_charge(tx, rc, now);
    if (!row) return row.error();
    sub.recurring_charge_id = row->id;
    sub.plan_code = plan->code;
    sub.seats = rc.seats;
  }
  return store::update_subscription(tx, sub, now_iso);
}

// When a replacement recurring bill starts: the trial end while trialing; the old bill's schedule if
// it was never sent; otherwise the old bill's next period boundary strictly after now.
static mno::TimePoint replacement_start(mno::db::Connection& tx, const Subscription& sub, mno::TimePoint now) {
  const mno::TimePoint trial_end = parse_or(sub.trial_ends_at, now);
  if (now < trial_end) return trial_end;
  mno::TimePoint anchor = trial_end;
  if (sub.recurring_charge_id) {
    auto old = store::find_charge(tx, *sub.recurring_charge_id);
    if (old && *old) {
      anchor = parse_or((*old)->start_date, trial_end);
      if ((*old)->state == ChargeState::pending && (*old)->attempts == 0) return std::max(anchor, now);
    }
  }
  return next_period_start(anchor, now + std::chrono::seconds(1));
}

mno::Result<BillingOverview> BillingService::overview(int64_t company_id) {
  return db_.transact(
      [&](mno::db::Connection& tx) -> mno::Result<BillingOverview> {
        auto c = store::find_company(tx, company_id);
        if (!c) return c.error();
        if (!*c) return not_found();
        BillingOverview o;
        o.platform_billing = (*c)->marketplace.has_value();
        o.currency = (*c)->currency;
        auto members = store::count_active_members(tx, company_id);
        if (!members) return members.error();
        o.active_members = static_cast<int>(*members);
        if (!o.platform_billing) return o;
        auto s = store::find_subscription(tx, company_id);
        if (!s) return s.error();
        o.subscription = *s;
        auto list = store::list_charges(tx, company_id);
        if (!list) return list.error();
        o.charges = std::move(*list);
        if (*s) {
          if (auto plan = find_plan((*s)->plan_code)) o.price_fallback = plan_unit_price(*plan, (*c)->currency).fallback;
          if ((*s)->recurring_charge_id && !(*s)->cancelled_at) {
            auto rc = store::find_charge(tx, *(*s)->recurring_charge_id);
            if (!rc) return rc.error();
            if (*rc && (*rc)->state != ChargeState::failed && (*rc)->state != ChargeState::superseded) {
              const auto now = clock_.now();
              o.next_charge_at = iso(next_period_start(parse_or((*rc)->start_date, now), now));
              o.next_charge_cents = (*rc)->price_cents;
              o.currency = (*rc)->currency;
            }
          }
        }
        return o;
      },
      mno::db::TxKind::read);
}

mno::Result<Subscription> BillingService::choose_plan(int64_t company_id, const std::string& plan_code, int seats) {
  auto plan = find_plan(plan_code);
  FieldErrors errors;
  if (!plan) errors.add("plan", "is not a plan we offer");
  if (plan && plan->kind == PlanKind::per_seat && (seats < 1 || seats > kMaxSeats))
    errors.add("seats", "must be between 1 and " + std::to_string(kMaxSeats));
  if (!errors.empty()) return errors.to_error();
  if (plan->kind == PlanKind::flat) seats = 1;

  return db_.transact([&](mno::db::Connection& tx) -> mno::Result<Subscription> {
    auto locked = lock_company(tx, company_id);
    if (!locked) return locked.error();
    if (!locked->company.marketplace) return not_available();
    if (locked->company.status == CompanyStatus::cancelled) return cancelled();
    if (!locked->subscription) {
      auto started = start(tx, locked->company);
      if (!started) return started.error();
      locked->subscription = *started;
    }
    Subscription sub = *locked->subscription;
    if (sub.cancelled_at) return cancelled();
    if (sub.plan_code == plan->code && sub.seats == seats && sub.recurring_charge_id) return sub;
    const auto now = clock_.now();
    const auto start_at = replacement_start(tx, sub, now);
    if (auto s = replace_recurring(tx, random_, locked->company, sub, &*plan, seats, start_at, now); !s) return s.error();
    auto stored = store::find_subscription(tx, company_id);
    if (!stored) return stored.error();
    return **stored;
  });
}

mno::Result<Charge> BillingService::send_sms_reminder(int64_t company_id, int64_t invoice_id, int64_t user_id) {
  return db_.transact([&](mno::db::Connection& tx) -> mno::Result<Charge> {
    auto locked = lock_company(tx, company_id);
    if (!locked) return locked.error();
    if (!locked->company.marketplace) return not_available();
    if (!is_usable(locked->company.status)) return cancelled();
    auto number = store::find_invoice_number(tx, company_id, invoice_id);
    if (!number) return number.error();
    if (!*number) return mno::make_error("record.not_found", "This invoice does not exist.");
    const auto now = clock_.now();
    const Price price = sms_reminder_price(locked->company.currency);
    Charge bill;
    bill.company_id = company_id;
    bill.reference = new_reference(random_, company_id);
    bill.kind = ChargeKind::bill;
    bill.description = "SMS reminder for invoice " + **number;
    bill.price_cents = price.cents;
    bill.currency = price.currency;
    bill.created_at = iso(now);
    auto row = store::insert_charge(tx, bill, now);
    if (!row) return row.error();
    auto reminder = store::insert_sms_reminder(tx, company_id, invoice_id, user_id, row->id, iso(now));
    if (!reminder) return reminder.error();
    return *row;
  });
}

mno::Result<WebhookOutcome> BillingService::cancel_group(const mno::config::Marketplace& marketplace,
                                                         const std::string& group_uid) {
  auto out = db_.transact([&](mno::db::Connection& tx) -> mno::Result<WebhookOutcome> {
    auto found = store::find_company_by_external_uid(tx, marketplace.name, group_uid);
    if (!found) return found.error();
    if (!*found) return WebhookOutcome{};
    auto locked = lock_company(tx, (*found)->id);
    if (!locked) return locked.error();
    if (locked->company.status == CompanyStatus::cancelled) return WebhookOutcome{true, false};
    const auto now = clock_.now();
    auto st = companies_.set_status(tx, locked->company.id, CompanyStatus::cancelled, locked->company.trial_ends_at);
    if (!st) return st.error();
    if (!locked->subscription) {
      // A company provisioned before billing existed: a subscription row carries its retention dates.
      Subscription s;
      s.company_id = locked->company.id;
      s.plan_code = std::string(kDefaultPlan);
      s.trial_ends_at = locked->company.trial_ends_at.value_or(iso(now));
      s.created_at = s.updated_at = iso(now);
      if (auto i = store::insert_subscription(tx, s); !i) return i.error();
      locked->subscription = s;
    }
    Subscription sub = *locked->subscription;
    sub.cancelled_at = iso(now);
    sub.purge_after = iso(now + settings_.retention);
    if (auto s = replace_recurring(tx, random_, locked->company, sub, nullptr, 0, now, now); !s) return s.error();
    return WebhookOutcome{true, true};
  });
  if (out && out->changed)
    mno::log::info("billing.group_cancelled", {{"marketplace", marketplace.name}, {"group", group_uid}});
  return out;
}

mno::Result<WebhookOutcome> BillingService::remove_group_user(const mno::config::Marketplace& marketplace,
                                                              const std::string& group_uid, const std::string& user_uid) {
  const std::string local_uid = mno::sso::mask_user(user_uid, group_uid, marketplace.sso.creation_mode);
  const bool virtual_mode = marketplace.sso.creation_mode == "virtual";
  auto out = db_.transact([&](mno::db::Connection& tx) -> mno::Result<WebhookOutcome> {
    auto found = store::find_company_by_external_uid(tx, marketplace.name, group_uid);
    if (!found) return found.error();
    if (!*found) return WebhookOutcome{};
    auto user = store::find_user_by_identity(tx, marketplace.name, local_uid);
    if (!user) return user.error();
    if (!*user) return WebhookOutcome{};
    auto locked = lock_company(tx, (*found)->id);
    if (!locked) return locked.error();
    auto m = store::find_membership(tx, **user, locked->company.id, /*lock=*/true);
    if (!m) return m.error();
    if (!*m) return WebhookOutcome{};
    const auto now = clock_.now();
    const std::string now_iso = iso(now);
    WebhookOutcome o{true, false};
    if ((*m)->status == MembershipStatus::active) {
      auto n = store::update_membership(tx, (*m)->id, (*m)->role, MembershipStatus::revoked, now_iso);
      if (!n) return n.error();
      o.changed = true;
    }
    if (virtual_mode) {
      // A virtual user exists only for this group (spec 3.7): without it, the user is gone.
      auto n = store::disable_user(tx, **user, now_iso);
      if (!n) return n.error();
      o.changed = o.changed || *n > 0;
    }
    // Per-seat billing follows the team down (never up: seats above the team are the admin's choice).
    const auto& sub = locked->subscription;
    auto plan = sub ? find_plan(sub->plan_code) : std::nullopt;
    if (o.changed && sub && !sub->cancelled_at && plan && plan->kind == PlanKind::per_seat &&
        locked->company.status != CompanyStatus::cancelled) {
      auto active = store::count_active_members(tx, locked->company.id);
      if (!active) return active.error();
      const int seats = static_cast<int>(std::max<int64_t>(1, *active));
      if (seats < sub->seats) {
        Subscription s = *sub;
        const auto start_at = replacement_start(tx, s, now);
        if (auto r = replace_recurring(tx, random_, locked->company, s, &*plan, seats, start_at, now); !r) return r.error();
      }
    }
    return o;
  });
  if (out && out->changed)
    mno::log::info("billing.group_user_removed",
                   {{"marketplace", marketplace.name}, {"group", group_uid}, {"user", user_uid}});
  return out;
}

mno::Result<int> BillingService::purge_due(int limit) {
  auto purged = db_.transact([&](mno::db::Connection& tx) -> mno::Result<std::vector<int64_t>> {
    const std::string now = iso(clock_.now());
    auto due = store::subscriptions_due_for_purge(tx, now, limit);
    if (!due) return due.error();
    for (int64_t id : *due)
      if (auto s = store::purge_company_data(tx, id, now); !s) return s.error();
    return *due;
  });
  if (!purged) return purged.error();
  for (int64_t id : *purged) mno::log::info("billing.company_purged", {{"company_id", std::to_string(id)}});
  return static_cast<int>(purged->size());
}

mno::Result<int> BillingService::end_trials() {
  auto n = db_.transact([&](mno::db::Connection& tx) {
    const std::string now = iso(clock_.now());
    return tx.execute(
        "UPDATE companies SET status = 'active', updated_at = $1, version = version + 1"
        " WHERE status = 'trialing' AND trial_ends_at IS NOT NULL AND trial_ends_at <= $1",
        {now});
  });
  if (!n) return n.error();
  if (*n > 0) mno::log::info("billing.trials_ended", {{"companies", std::to_string(*n)}});
  return static_cast<int>(*n);
}

mno::Result<std::vector<Charge>> BillingService::charges(int64_t company_id) {
  return db_.transact([&](mno::db::Connection& tx) { return store::list_charges(tx, company_id); },
                      mno::db::TxKind::read);
}

}  // namespace tally
