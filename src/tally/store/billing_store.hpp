// SQL of platform billing: billing_subscriptions, billing_charges (the ledger: leased claims and
// fenced outcomes, as mno/sync/outbox does for Connec!) and billing_sms_reminders. Called by
// BillingService and BillingDispatcher only. Times used for scheduling (next_attempt_at,
// lease_expires_at) are epoch milliseconds; others ISO-8601 text like the rest of Tally.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"
#include "tally/domain/billing.hpp"

namespace tally::store {

// ---- subscriptions ----
mno::Result<std::optional<Subscription>> find_subscription(mno::db::Connection& tx, int64_t company_id, bool lock = false);
// Inserts, or does nothing when the company already has one (ON CONFLICT DO NOTHING). True if inserted.
mno::Result<bool> insert_subscription(mno::db::Connection& tx, const Subscription& s);
// Replaces plan, seats, recurring_charge_id, cancelled_at, purge_after, purged_at; bumps the version.
mno::Status update_subscription(mno::db::Connection& tx, const Subscription& s, const std::string& now);
// Companies whose purge_after <= now and not purged yet, oldest first.
mno::Result<std::vector<int64_t>> subscriptions_due_for_purge(mno::db::Connection& tx, const std::string& now, int limit);

// ---- ledger ----
// Inserts a pending row due at `due` (reference must be unique); returns it with its id.
mno::Result<Charge> insert_charge(mno::db::Connection& tx, const Charge& c, mno::TimePoint due);
mno::Result<std::optional<Charge>> find_charge(mno::db::Connection& tx, int64_t id, bool lock = false);
mno::Result<std::vector<Charge>> list_charges(mno::db::Connection& tx, int64_t company_id, int limit = 200);
// pending rows never sent (attempts = 0) become superseded; true when it happened.
mno::Result<bool> supersede_unsent(mno::db::Connection& tx, int64_t charge_id, const std::string& now);

// Claims up to `limit` due rows (pending and due, or sending with an expired lease) whose company has
// no older unfinished row, in one write transaction: state sending, lease set, attempts + 1.
mno::Result<std::vector<Charge>> claim_charges(mno::db::Database& db, const std::string& owner,
                                               std::chrono::milliseconds lease, int limit, mno::TimePoint now);
// Fenced outcomes (false: the row is no longer ours, nothing changed).
mno::Result<bool> mark_charge_done(mno::db::Connection& tx, const Charge& claimed, const std::string& platform_id,
                                   const std::string& platform_status, mno::TimePoint now);
mno::Result<bool> mark_charge_retry(mno::db::Connection& tx, const Charge& claimed, mno::TimePoint next_attempt_at,
                                    std::string_view error, mno::TimePoint now);
mno::Result<bool> mark_charge_failed(mno::db::Connection& tx, const Charge& claimed, std::string_view error,
                                     mno::TimePoint now);
// The platform status of a done row changed (its recurring bill was cancelled).
mno::Status set_platform_status(mno::db::Connection& tx, int64_t charge_id, const std::string& status,
                                const std::string& now);

// ---- SMS reminders (the paid action) ----
mno::Result<int64_t> insert_sms_reminder(mno::db::Connection& tx, int64_t company_id, int64_t invoice_id,
                                         int64_t user_id, int64_t charge_id, const std::string& now);
// The number ("INV-0001") of one of the company's invoices; nullopt when it is not the company's.
mno::Result<std::optional<std::string>> find_invoice_number(mno::db::Connection& tx, int64_t company_id, int64_t invoice_id);
mno::Result<int64_t> count_sms_reminders(mno::db::Connection& tx, int64_t company_id, int64_t invoice_id);

// ---- webhooks and retention ----
mno::Result<int64_t> count_active_members(mno::db::Connection& tx, int64_t company_id);
// Marks the user disabled (virtual creation mode); rows affected.
mno::Result<int64_t> disable_user(mno::db::Connection& tx, int64_t user_id, const std::string& now);
// Deletes the company's records, tokens, memberships and Connec! sync rows and renames it; the ledger and the
// subscription stay (billing history). Sets purged_at.
mno::Status purge_company_data(mno::db::Connection& tx, int64_t company_id, const std::string& now);

}  // namespace tally::store
