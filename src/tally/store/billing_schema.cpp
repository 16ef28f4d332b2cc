// See billing_schema.hpp. Written once with ID_PK / INT64 markers expanded per dialect, like
// records_schema.cpp. The ledger's reference is UNIQUE: the key the platform lookup relies on.
#include "tally/store/billing_schema.hpp"

#include <string>

#include "tally/store/portable_sql.hpp"

namespace tally {
namespace {

mno::db::Migration migration(int version, std::string name, const std::string& sql) {
  return store::portable_migration(version, std::move(name), sql);
}

// One row per company with platform billing. recurring_charge_id: the ledger row of the current
// recurring bill (a plain column, not a foreign key: the two tables point at each other).
const char* kSubscriptions =
    "CREATE TABLE billing_subscriptions ("
    " company_id INT64 PRIMARY KEY REFERENCES companies(id),"
    " plan_code TEXT NOT NULL,"
    " seats INT64 NOT NULL CHECK (seats >= 1),"
    " trial_ends_at TEXT NOT NULL,"
    " trial_from_platform INT64 NOT NULL DEFAULT 0,"
    " recurring_charge_id INT64,"
    " cancelled_at TEXT,"
    " purge_after TEXT,"
    " purged_at TEXT,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL,"
    " version INT64 NOT NULL DEFAULT 1);"
    "CREATE INDEX billing_subscriptions_purge ON billing_subscriptions (purge_after) WHERE purged_at IS NULL;";

// The ledger: every platform call, before it is made. next_attempt_at / lease_expires_at are epoch ms.
const char* kCharges =
    "CREATE TABLE billing_charges ("
    " id ID_PK,"
    " company_id INT64 NOT NULL REFERENCES companies(id),"
    " reference TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL CHECK (kind IN ('bill','recurring_bill','cancel_recurring')),"
    " state TEXT NOT NULL CHECK (state IN ('pending','sending','done','failed','superseded')),"
    " description TEXT NOT NULL,"
    " price_cents INT64 NOT NULL,"
    " currency TEXT NOT NULL,"
    " plan_code TEXT NOT NULL DEFAULT '',"
    " seats INT64 NOT NULL DEFAULT 0,"
    " start_date TEXT,"
    " period TEXT NOT NULL DEFAULT '',"
    " frequency INT64 NOT NULL DEFAULT 1,"
    " target_charge_id INT64 REFERENCES billing_charges(id),"
    " platform_id TEXT,"
    " platform_status TEXT,"
    " attempts INT64 NOT NULL DEFAULT 0,"
    " next_attempt_at INT64 NOT NULL,"
    " lease_owner TEXT,"
    " lease_expires_at INT64,"
    " last_error TEXT,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE INDEX billing_charges_due ON billing_charges (state, next_attempt_at);"
    "CREATE INDEX billing_charges_company ON billing_charges (company_id, id);";

// The paid in-app action: one row per SMS reminder (simulated), with the ledger row that bills it.
const char* kSmsReminders =
    "CREATE TABLE billing_sms_reminders ("
    " id ID_PK,"
    " company_id INT64 NOT NULL REFERENCES companies(id),"
    " invoice_id INT64 NOT NULL,"
    " user_id INT64 NOT NULL REFERENCES users(id),"
    " charge_id INT64 NOT NULL REFERENCES billing_charges(id),"
    " created_at TEXT NOT NULL,"
    " FOREIGN KEY (company_id, invoice_id) REFERENCES invoices (company_id, id));"
    "CREATE INDEX billing_sms_reminders_invoice ON billing_sms_reminders (company_id, invoice_id);";

}  // namespace

const std::vector<mno::db::Migration>& billing_migrations() {
  static const std::vector<mno::db::Migration> m = {
      migration(60, "billing subscriptions", kSubscriptions),
      migration(61, "billing ledger", kCharges),
      migration(62, "billing sms reminders", kSmsReminders),
  };
  return m;
}

}  // namespace tally
