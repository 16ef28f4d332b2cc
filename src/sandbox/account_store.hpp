// The sandbox's Account API state (spec 5.2-5.3): bills and recurring bills per marketplace, their
// validation (field errors as the ref sandbox words them) and status transitions
// (bill: submitted -> invoiced | cancelled; an invoiced bill cannot be cancelled). Groups and users
// are not stored here: they are the IdP directory's (directory.hpp), read through it.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"
#include "sandbox/directory.hpp"

namespace sandbox {

// Migrations 20..39 of the sandbox state (appended to SandboxState's list: one schema version).
const std::vector<mno::db::Migration>& account_migrations();

// Times are ISO 8601 UTC strings ("" = null), as the API renders them.
struct BillRecord {
  std::string id, marketplace, group_id;
  int64_t price_cents = 0;
  std::string currency, description;
  double units = 1;
  std::string period_started_at, period_ended_at;
  bool third_party = false;
  std::string status;  // submitted | invoiced | cancelled
  std::string created_at, updated_at;
};

struct RecurringBillRecord {
  std::string id, marketplace, group_id;
  int64_t price_cents = 0;
  std::string currency, description;
  std::string period;  // lowercase
  int frequency = 1;
  std::optional<int> cycles;
  std::string start_date;
  int64_t initial_cents = 0;
  std::string status;  // submitted | active | expired | cancelled
  std::string created_at, updated_at;
};

// Create input as received (JSON values or form fields, flattened to text; absent = not sent).
using FieldMap = std::map<std::string, std::string>;

// Errors: "account.invalid" with Error::fields (field -> message) for validation, unknown ids
// ({"id": "does not exist"}) and forbidden transitions ({"status": ...}); db errors unchanged.
class AccountStore {
 public:
  AccountStore(std::shared_ptr<mno::db::Database> db, std::shared_ptr<Directory> directory, const mno::Clock& clock,
               mno::Random& random);

  mno::Result<BillRecord> create_bill(const std::string& marketplace, const FieldMap& in);
  mno::Result<std::vector<BillRecord>> bills(const std::string& marketplace) const;  // oldest first
  mno::Result<BillRecord> bill(const std::string& marketplace, const std::string& id) const;
  // Idempotent for a cancelled bill; an invoiced one is refused.
  mno::Result<BillRecord> cancel_bill(const std::string& marketplace, const std::string& id);

  // initial_cents > 0 also creates the bill "Initial: <description>" (ref sandbox behaviour).
  mno::Result<RecurringBillRecord> create_recurring_bill(const std::string& marketplace, const FieldMap& in);
  mno::Result<std::vector<RecurringBillRecord>> recurring_bills(const std::string& marketplace) const;
  mno::Result<RecurringBillRecord> recurring_bill(const std::string& marketplace, const std::string& id) const;
  mno::Result<RecurringBillRecord> cancel_recurring_bill(const std::string& marketplace, const std::string& id);

  // Control API: every bill and recurring bill of a group (any marketplace), and the platform's
  // invoicing run: the group's submitted bills become invoiced. Returns how many changed.
  mno::Result<std::vector<BillRecord>> group_bills(const std::string& group_id) const;
  mno::Result<std::vector<RecurringBillRecord>> group_recurring_bills(const std::string& group_id) const;
  mno::Result<int64_t> invoice_submitted(const std::string& group_id);
  // Control API reset of the account data only (the directory has its own reset).
  mno::Status clear();

 private:
  mno::Status check_group(const std::string& marketplace, const FieldMap& in, std::map<std::string, std::string>& errors) const;
  std::shared_ptr<mno::db::Database> db_;
  std::shared_ptr<Directory> directory_;
  const mno::Clock& clock_;
  mno::Random& random_;
};

}  // namespace sandbox
