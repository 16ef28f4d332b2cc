// See billing_store.hpp. The claim follows mno/sync/outbox.cpp: select due ids (SKIP LOCKED on
// PostgreSQL), then a guarded UPDATE per id, so each row goes to exactly one concurrent claimer.
#include "tally/store/billing_store.hpp"

#include "mno/util/iso8601.hpp"

namespace tally::store {
namespace {

int64_t to_ms(mno::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
mno::TimePoint from_ms(int64_t ms) {
  return mno::TimePoint(std::chrono::duration_cast<mno::TimePoint::duration>(std::chrono::milliseconds(ms)));
}

constexpr const char* kChargeColumns =
    "id, company_id, reference, kind, state, description, price_cents, currency, plan_code, seats, start_date, period, "
    "frequency, target_charge_id, platform_id, platform_status, attempts, next_attempt_at, lease_owner, "
    "lease_expires_at, last_error, created_at, updated_at";

constexpr const char* kSubscriptionColumns =
    "company_id, plan_code, seats, trial_ends_at, trial_from_platform, recurring_charge_id, cancelled_at, purge_after, "
    "purged_at, created_at, updated_at, version";

// The fencing condition of an outcome: still ours, same attempt, still in flight.
constexpr const char* kFence = " WHERE id = $1 AND state = 'sending' AND lease_owner = $2 AND attempts = $3";

Charge charge_from(const mno::db::Row& r) {
  Charge c;
  c.id = r.i64("id");
  c.company_id = r.i64("company_id");
  c.reference = r.text("reference");
  c.kind = parse_charge_kind(r.text("kind")).value_or(ChargeKind::bill);
  c.state = parse_charge_state(r.text("state")).value_or(ChargeState::failed);
  c.description = r.text("description");
  c.price_cents = r.i64("price_cents");
  c.currency = r.text("currency");
  c.plan_code = r.text("plan_code");
  c.seats = static_cast<int>(r.i64("seats"));
  c.start_date = r.opt_text("start_date");
  c.period = r.text("period");
  c.frequency = static_cast<int>(r.i64("frequency"));
  c.target_charge_id = r.opt_i64("target_charge_id");
  c.platform_id = r.opt_text("platform_id");
  c.platform_status = r.opt_text("platform_status");
  c.attempts = static_cast<int>(r.i64("attempts"));
  c.next_attempt_at = from_ms(r.i64("next_attempt_at"));
  c.lease_owner = r.opt_text("lease_owner");
  if (auto l = r.opt_i64("lease_expires_at")) c.lease_expires_at = from_ms(*l);
  c.last_error = r.opt_text("last_error");
  c.created_at = r.text("created_at");
  c.updated_at = r.text("updated_at");
  return c;
}

Subscription subscription_from(const mno::db::Row& r) {
  Subscription s;
  s.company_id = r.i64("company_id");
  s.plan_code = r.text("plan_code");
  s.seats = static_cast<int>(r.i64("seats"));
  s.trial_ends_at = r.text("trial_ends_at");
  s.trial_from_platform = r.i64("trial_from_platform") != 0;
  s.recurring_charge_id = r.opt_i64("recurring_charge_id");
  s.cancelled_at = r.opt_text("cancelled_at");
  s.purge_after = r.opt_text("purge_after");
  s.purged_at = r.opt_text("purged_at");
  s.created_at = r.text("created_at");
  s.updated_at = r.text("updated_at");
  s.version = r.i64("version");
  return s;
}

mno::db::Value opt(const std::optional<std::string>& v) { return v ? mno::db::Value(*v) : mno::db::Value(); }
mno::db::Value opt(const std::optional<int64_t>& v) { return v ? mno::db::Value(*v) : mno::db::Value(); }

std::string truncated(std::string_view s, size_t max = 1000) { return std::string(s.substr(0, max)); }

}  // namespace

mno::Result<std::optional<Subscription>> find_subscription(mno::db::Connection& tx, int64_t company_id, bool lock) {
  auto r = tx.query_one(std::string("SELECT ") + kSubscriptionColumns + " FROM billing_subscriptions WHERE company_id = $1" +
                            std::string(lock ? mno::db::for_update(tx.dialect()) : ""),
                        {company_id});
  if (!r) return r.error();
  if (!*r) return std::optional<Subscription>{};
  return std::optional<Subscription>{subscription_from(**r)};
}

mno::Result<bool> insert_subscription(mno::db::Connection& tx, const Subscription& s) {
  auto n = tx.execute(
      "INSERT INTO billing_subscriptions (company_id, plan_code, seats, trial_ends_at, trial_from_platform, "
      "recurring_charge_id, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) "
      "ON CONFLICT (company_id) DO NOTHING",
      {s.company_id, s.plan_code, s.seats, s.trial_ends_at, s.trial_from_platform ? 1 : 0, opt(s.recurring_charge_id),
       s.created_at});
  if (!n) return n.error();
  return *n == 1;
}

mno::Status update_subscription(mno::db::Connection& tx, const Subscription& s, const std::string& now) {
  auto n = tx.execute(
      "UPDATE billing_subscriptions SET plan_code = $1, seats = $2, recurring_charge_id = $3, cancelled_at = $4, "
      "purge_after = $5, purged_at = $6, updated_at = $7, version = version + 1 WHERE company_id = $8",
      {s.plan_code, s.seats, opt(s.recurring_charge_id), opt(s.cancelled_at), opt(s.purge_after), opt(s.purged_at), now,
       s.company_id});
  if (!n) return n.error();
  if (*n != 1) return mno::make_error("record.not_found", "no subscription for this company");
  return {};
}

mno::Result<std::vector<int64_t>> subscriptions_due_for_purge(mno::db::Connection& tx, const std::string& now, int limit) {
  auto rows = tx.query(
      "SELECT company_id FROM billing_subscriptions WHERE purged_at IS NULL AND purge_after IS NOT NULL "
      "AND purge_after <= $1 ORDER BY purge_after, company_id LIMIT $2" + std::string(mno::db::skip_locked(tx.dialect())),
      {now, limit});
  if (!rows) return rows.error();
  std::vector<int64_t> out;
  for (const auto& r : *rows) out.push_back(r.i64(0));
  return out;
}

mno::Result<Charge> insert_charge(mno::db::Connection& tx, const Charge& c, mno::TimePoint due) {
  auto r = tx.query_one(
      std::string("INSERT INTO billing_charges (company_id, reference, kind, state, description, price_cents, currency, "
                  "plan_code, seats, start_date, period, frequency, target_charge_id, attempts, next_attempt_at, "
                  "created_at, updated_at) VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, "
                  "$14, $14) RETURNING ") + kChargeColumns,
      {c.company_id, c.reference, to_string(c.kind), c.description, c.price_cents, c.currency, c.plan_code, c.seats,
       opt(c.start_date), c.period, c.frequency, opt(c.target_charge_id), to_ms(due), c.created_at});
  if (!r) return r.error();
  return charge_from(**r);
}

mno::Result<std::optional<Charge>> find_charge(mno::db::Connection& tx, int64_t id, bool lock) {
  auto r = tx.query_one(std::string("SELECT ") + kChargeColumns + " FROM billing_charges WHERE id = $1" +
                            std::string(lock ? mno::db::for_update(tx.dialect()) : ""),
                        {id});
  if (!r) return r.error();
  if (!*r) return std::optional<Charge>{};
  return std::optional<Charge>{charge_from(**r)};
}

mno::Result<std::vector<Charge>> list_charges(mno::db::Connection& tx, int64_t company_id, int limit) {
  auto rows = tx.query(std::string("SELECT ") + kChargeColumns +
                           " FROM billing_charges WHERE company_id = $1 ORDER BY id DESC LIMIT $2",
                       {company_id, limit});
  if (!rows) return rows.error();
  std::vector<Charge> out;
  for (const auto& r : *rows) out.push_back(charge_from(r));
  return out;
}

mno::Result<bool> supersede_unsent(mno::db::Connection& tx, int64_t charge_id, const std::string& now) {
  auto n = tx.execute(
      "UPDATE billing_charges SET state = 'superseded', updated_at = $1 WHERE id = $2 AND state = 'pending' AND attempts = 0",
      {now, charge_id});
  if (!n) return n.error();
  return *n == 1;
}

mno::Result<std::vector<Charge>> claim_charges(mno::db::Database& db, const std::string& owner,
                                               std::chrono::milliseconds lease, int limit, mno::TimePoint now) {
  const int64_t now_ms = to_ms(now);
  const int64_t lease_until = now_ms + lease.count();
  const std::string now_iso = mno::format_iso8601(now);
  return db.transact([&](mno::db::Connection& c) -> mno::Result<std::vector<Charge>> {
    // Due rows whose company has no older unfinished row: one in flight per company, in id order.
    auto ids = c.query(
        "SELECT b.id FROM billing_charges b WHERE "
        "((b.state = 'pending' AND b.next_attempt_at <= $1) OR (b.state = 'sending' AND b.lease_expires_at < $1)) "
        "AND NOT EXISTS (SELECT 1 FROM billing_charges p WHERE p.company_id = b.company_id AND p.id < b.id "
        "AND p.state IN ('pending', 'sending')) ORDER BY b.id LIMIT $2" + std::string(mno::db::skip_locked(c.dialect())),
        {now_ms, limit});
    if (!ids) return ids.error();
    std::vector<Charge> out;
    for (const auto& idrow : *ids) {
      auto claimed = c.query_one(
          std::string("UPDATE billing_charges SET state = 'sending', lease_owner = $1, lease_expires_at = $2, "
                      "attempts = attempts + 1, updated_at = $3 WHERE id = $4 AND (state = 'pending' OR "
                      "(state = 'sending' AND lease_expires_at < $5)) RETURNING ") + kChargeColumns,
          {owner, lease_until, now_iso, idrow.i64(0), now_ms});
      if (!claimed) return claimed.error();
      if (*claimed) out.push_back(charge_from(**claimed));
    }
    return out;
  });
}

mno::Result<bool> mark_charge_done(mno::db::Connection& tx, const Charge& claimed, const std::string& platform_id,
                                   const std::string& platform_status, mno::TimePoint now) {
  auto n = tx.execute(std::string("UPDATE billing_charges SET state = 'done', platform_id = $4, platform_status = $5, "
                                  "lease_owner = NULL, lease_expires_at = NULL, last_error = NULL, updated_at = $6") +
                          kFence,
                      {claimed.id, claimed.lease_owner.value_or(""), claimed.attempts, platform_id, platform_status,
                       mno::format_iso8601(now)});
  if (!n) return n.error();
  return *n == 1;
}

mno::Result<bool> mark_charge_retry(mno::db::Connection& tx, const Charge& claimed, mno::TimePoint next_attempt_at,
                                    std::string_view error, mno::TimePoint now) {
  auto n = tx.execute(std::string("UPDATE billing_charges SET state = 'pending', next_attempt_at = $4, lease_owner = NULL, "
                                  "lease_expires_at = NULL, last_error = $5, updated_at = $6") +
                          kFence,
                      {claimed.id, claimed.lease_owner.value_or(""), claimed.attempts, to_ms(next_attempt_at),
                       truncated(error), mno::format_iso8601(now)});
  if (!n) return n.error();
  return *n == 1;
}

mno::Result<bool> mark_charge_failed(mno::db::Connection& tx, const Charge& claimed, std::string_view error,
                                     mno::TimePoint now) {
  auto n = tx.execute(std::string("UPDATE billing_charges SET state = 'failed', lease_owner = NULL, "
                                  "lease_expires_at = NULL, last_error = $4, updated_at = $5") +
                          kFence,
                      {claimed.id, claimed.lease_owner.value_or(""), claimed.attempts, truncated(error),
                       mno::format_iso8601(now)});
  if (!n) return n.error();
  return *n == 1;
}

mno::Status set_platform_status(mno::db::Connection& tx, int64_t charge_id, const std::string& status,
                                const std::string& now) {
  auto n = tx.execute("UPDATE billing_charges SET platform_status = $1, updated_at = $2 WHERE id = $3",
                      {status, now, charge_id});
  if (!n) return n.error();
  return {};
}

mno::Result<int64_t> insert_sms_reminder(mno::db::Connection& tx, int64_t company_id, int64_t invoice_id,
                                         int64_t user_id, int64_t charge_id, const std::string& now) {
  auto r = tx.query_one(
      "INSERT INTO billing_sms_reminders (company_id, invoice_id, user_id, charge_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5) RETURNING id",
      {company_id, invoice_id, user_id, charge_id, now});
  if (!r) return r.error();
  return (*r)->i64(0);
}

mno::Result<std::optional<std::string>> find_invoice_number(mno::db::Connection& tx, int64_t company_id, int64_t invoice_id) {
  auto r = tx.query_one("SELECT number FROM invoices WHERE company_id = $1 AND id = $2", {company_id, invoice_id});
  if (!r) return r.error();
  if (!*r) return std::optional<std::string>{};
  return std::optional<std::string>{(*r)->text(0)};
}

mno::Result<int64_t> count_sms_reminders(mno::db::Connection& tx, int64_t company_id, int64_t invoice_id) {
  auto r = tx.query_one("SELECT COUNT(*) FROM billing_sms_reminders WHERE company_id = $1 AND invoice_id = $2",
                        {company_id, invoice_id});
  if (!r) return r.error();
  return (*r)->i64(0);
}

mno::Result<int64_t> count_active_members(mno::db::Connection& tx, int64_t company_id) {
  auto r = tx.query_one(
      "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id "
      "WHERE m.company_id = $1 AND m.status = 'active' AND u.status = 'active'",
      {company_id});
  if (!r) return r.error();
  return (*r)->i64(0);
}

mno::Result<int64_t> disable_user(mno::db::Connection& tx, int64_t user_id, const std::string& now) {
  return tx.execute(
      "UPDATE users SET status = 'disabled', updated_at = $1, version = version + 1 WHERE id = $2 AND status <> 'disabled'",
      {now, user_id});
}

mno::Status purge_company_data(mno::db::Connection& tx, int64_t company_id, const std::string& now) {
  // Children before parents (composite foreign keys between records). The ledger and the
  // subscription are billing history and stay; so do the users (global, possibly in other companies).
  static const char* const kTables[] = {"billing_sms_reminders", "invoice_lines", "invoices", "invoice_counters",
                                        "contacts", "customers", "products", "api_tokens", "memberships"};
  for (const char* table : kTables) {
    auto n = tx.execute(std::string("DELETE FROM ") + table + " WHERE company_id = $1", {company_id});
    if (!n) return n.error();
  }
  // The Connec! sync rows of this tenant (tenant = the company id) hold copies of the same records.
  for (const char* table : {"sync_outbox", "sync_inbox", "sync_id_map"}) {
    auto n = tx.execute(std::string("DELETE FROM ") + table + " WHERE tenant = $1", {std::to_string(company_id)});
    if (!n) return n.error();
  }
  auto c = tx.execute(
      "UPDATE companies SET name = $1, updated_at = $2, version = version + 1 WHERE id = $3",
      {"Purged company " + std::to_string(company_id), now, company_id});
  if (!c) return c.error();
  auto s = tx.execute("UPDATE billing_subscriptions SET purged_at = $1, updated_at = $1, version = version + 1 "
                      "WHERE company_id = $2",
                      {now, company_id});
  if (!s) return s.error();
  return {};
}

}  // namespace tally::store
