// See account_store.hpp. Validation collects every field error before answering, as the ref
// sandbox's ActiveRecord validations do.
#include "sandbox/account_store.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "mno/util/iso8601.hpp"

namespace sandbox {
namespace {

constexpr const char* kBillColumns =
    "id, marketplace, group_id, price_cents, currency, description, units, period_started_at, period_ended_at,"
    " third_party, status, created_at, updated_at";
constexpr const char* kRecurringColumns =
    "id, marketplace, group_id, price_cents, currency, description, period, frequency, cycles, start_date,"
    " initial_cents, status, created_at, updated_at";

const std::set<std::string>& currencies() {
  static const std::set<std::string> c = {"AUD", "USD", "EUR", "GBP", "NZD", "CAD", "JPY", "CHF", "SGD", "HKD",
                                          "INR", "ZAR", "SEK", "NOK", "DKK", "CNY", "MXN", "BRL", "MYR", "PHP"};
  return c;
}

BillRecord bill_from(const mno::db::Row& r) {
  BillRecord b;
  b.id = r.text(0);
  b.marketplace = r.text(1);
  b.group_id = r.text(2);
  b.price_cents = r.i64(3);
  b.currency = r.text(4);
  b.description = r.text(5);
  b.units = std::stod(r.text(6));
  b.period_started_at = r.opt_text(7).value_or("");
  b.period_ended_at = r.opt_text(8).value_or("");
  b.third_party = r.i64(9) != 0;
  b.status = r.text(10);
  b.created_at = r.text(11);
  b.updated_at = r.text(12);
  return b;
}

RecurringBillRecord recurring_from(const mno::db::Row& r) {
  RecurringBillRecord b;
  b.id = r.text(0);
  b.marketplace = r.text(1);
  b.group_id = r.text(2);
  b.price_cents = r.i64(3);
  b.currency = r.text(4);
  b.description = r.text(5);
  b.period = r.text(6);
  b.frequency = static_cast<int>(r.i64(7));
  if (auto c = r.opt_i64(8)) b.cycles = static_cast<int>(*c);
  b.start_date = r.text(9);
  b.initial_cents = r.i64(10);
  b.status = r.text(11);
  b.created_at = r.text(12);
  b.updated_at = r.text(13);
  return b;
}

mno::Error invalid(std::map<std::string, std::string> fields) {
  auto e = mno::make_error("account.invalid", fields.begin()->first + " " + fields.begin()->second);
  e.fields = std::move(fields);
  return e;
}

mno::Error not_found() { return invalid({{"id", "does not exist"}}); }

const std::string* field(const FieldMap& in, const char* name) {
  auto it = in.find(name);
  return it == in.end() ? nullptr : &it->second;
}

std::optional<int64_t> parse_int(const std::string& s) {
  if (s.empty()) return std::nullopt;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() > 18) return std::nullopt;
  for (size_t k = i; k < s.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return std::nullopt;
  return std::stoll(s);
}

std::optional<double> parse_decimal(const std::string& s) {
  try {
    size_t used = 0;
    double d = std::stod(s, &used);
    if (used == s.size()) return d;
  } catch (...) {
  }
  return std::nullopt;
}

// Common to both bill kinds: group, price, description, currency.
void check_charge(const FieldMap& in, std::map<std::string, std::string>& errors, int64_t& price, std::string& currency,
                  std::string& description) {
  auto p = field(in, "price_cents");
  if (!p || p->empty()) {
    errors["price_cents"] = "can't be blank";
  } else if (auto n = parse_int(*p); !n) {
    errors["price_cents"] = "is not a number";
  } else if (*n <= 0) {
    errors["price_cents"] = "must be greater than 0";
  } else {
    price = *n;
  }
  auto d = field(in, "description");
  if (!d || d->empty()) errors["description"] = "can't be blank";
  else description = *d;
  auto c = field(in, "currency");
  currency = c && !c->empty() ? *c : "AUD";
  std::transform(currency.begin(), currency.end(), currency.begin(), [](unsigned char ch) { return std::toupper(ch); });
  if (!currencies().count(currency)) errors["currency"] = "is not a known currency";
}

// An optional ISO 8601 time field, normalised to UTC "Z" form; "" when absent.
std::string time_field(const FieldMap& in, const char* name, std::map<std::string, std::string>& errors) {
  auto v = field(in, name);
  if (!v || v->empty()) return {};
  auto t = mno::parse_iso8601(*v);
  if (!t) {
    errors[name] = "is not a valid ISO 8601 time";
    return {};
  }
  return mno::format_iso8601(*t);
}

int64_t millis(mno::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string units_text(double u) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", u);
  return buf;
}

mno::Status insert_bill(mno::db::Connection& c, const BillRecord& b, int64_t created_ms) {
  auto r = c.execute(std::string("INSERT INTO account_bills (") + kBillColumns +
                         ", created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                     {b.id, b.marketplace, b.group_id, b.price_cents, b.currency, b.description, units_text(b.units),
                      b.period_started_at.empty() ? mno::db::Value{} : mno::db::Value{b.period_started_at},
                      b.period_ended_at.empty() ? mno::db::Value{} : mno::db::Value{b.period_ended_at},
                      int64_t{b.third_party ? 1 : 0}, b.status, b.created_at, b.updated_at, created_ms});
  if (!r) return r.error();
  return {};
}

}  // namespace

const std::vector<mno::db::Migration>& account_migrations() {
  static const std::vector<mno::db::Migration> m = {
      {20, "account API: bills",
       "CREATE TABLE account_bills (id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, group_id TEXT NOT NULL,"
       " price_cents BIGINT NOT NULL, currency TEXT NOT NULL, description TEXT NOT NULL, units TEXT NOT NULL,"
       " period_started_at TEXT, period_ended_at TEXT, third_party INTEGER NOT NULL, status TEXT NOT NULL,"
       " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_ms BIGINT NOT NULL);"
       "CREATE INDEX account_bills_marketplace ON account_bills (marketplace, created_ms);"
       "CREATE INDEX account_bills_group ON account_bills (group_id, created_ms);",
       ""},
      {21, "account API: recurring bills",
       "CREATE TABLE account_recurring_bills (id TEXT PRIMARY KEY, marketplace TEXT NOT NULL, group_id TEXT NOT NULL,"
       " price_cents BIGINT NOT NULL, currency TEXT NOT NULL, description TEXT NOT NULL, period TEXT NOT NULL,"
       " frequency INTEGER NOT NULL, cycles INTEGER, start_date TEXT NOT NULL, initial_cents BIGINT NOT NULL,"
       " status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, created_ms BIGINT NOT NULL);"
       "CREATE INDEX account_recurring_bills_marketplace ON account_recurring_bills (marketplace, created_ms);"
       "CREATE INDEX account_recurring_bills_group ON account_recurring_bills (group_id, created_ms);",
       ""},
  };
  return m;
}

AccountStore::AccountStore(std::shared_ptr<mno::db::Database> db, std::shared_ptr<Directory> directory,
                           const mno::Clock& clock, mno::Random& random)
    : db_(std::move(db)), directory_(std::move(directory)), clock_(clock), random_(random) {}

mno::Status AccountStore::check_group(const std::string& marketplace, const FieldMap& in,
                                      std::map<std::string, std::string>& errors) const {
  auto g = field(in, "group_id");
  if (!g || g->empty()) {
    errors["group_id"] = "can't be blank";
    return {};
  }
  auto group = directory_->group(*g);
  if (!group) return group.error();
  if (!*group || (*group)->marketplace != marketplace) errors["group_id"] = "does not exist or cannot be charged by your service";
  return {};
}

mno::Result<BillRecord> AccountStore::create_bill(const std::string& marketplace, const FieldMap& in) {
  std::map<std::string, std::string> errors;
  if (auto s = check_group(marketplace, in, errors); !s) return s.error();
  BillRecord b;
  check_charge(in, errors, b.price_cents, b.currency, b.description);
  if (auto u = field(in, "units"); u && !u->empty()) {
    auto d = parse_decimal(*u);
    if (!d) errors["units"] = "is not a number";
    else if (*d <= 0) errors["units"] = "must be greater than 0";
    else b.units = *d;
  }
  b.period_started_at = time_field(in, "period_started_at", errors);
  b.period_ended_at = time_field(in, "period_ended_at", errors);
  if (auto t = field(in, "third_party")) b.third_party = *t == "true" || *t == "1";
  if (!errors.empty()) return invalid(std::move(errors));
  auto now = clock_.now();
  b.id = "bill-" + random_.hex_token(8);
  b.marketplace = marketplace;
  b.group_id = *field(in, "group_id");
  b.status = "submitted";
  b.created_at = b.updated_at = mno::format_iso8601(now);
  auto s = db_->transaction([&](mno::db::Connection& c) { return insert_bill(c, b, millis(now)); });
  if (!s) return s.error();
  return b;
}

mno::Result<std::vector<BillRecord>> AccountStore::bills(const std::string& marketplace) const {
  auto rows = db_->query(std::string("SELECT ") + kBillColumns + " FROM account_bills WHERE marketplace = $1 ORDER BY created_ms, id",
                         {marketplace});
  if (!rows) return rows.error();
  std::vector<BillRecord> out;
  for (const auto& r : *rows) out.push_back(bill_from(r));
  return out;
}

mno::Result<BillRecord> AccountStore::bill(const std::string& marketplace, const std::string& id) const {
  auto rows = db_->query(std::string("SELECT ") + kBillColumns + " FROM account_bills WHERE marketplace = $1 AND id = $2",
                         {marketplace, id});
  if (!rows) return rows.error();
  if (rows->empty()) return not_found();
  return bill_from(rows->front());
}

mno::Result<BillRecord> AccountStore::cancel_bill(const std::string& marketplace, const std::string& id) {
  auto now = mno::format_iso8601(clock_.now());
  return db_->transact([&](mno::db::Connection& c) -> mno::Result<BillRecord> {
    auto row = c.query_one(std::string("SELECT ") + kBillColumns + " FROM account_bills WHERE marketplace = $1 AND id = $2",
                           {marketplace, id});
    if (!row) return row.error();
    if (!*row) return not_found();
    auto b = bill_from(**row);
    if (b.status == "invoiced") return invalid({{"status", "has already been set to invoiced and cannot be changed"}});
    if (b.status == "cancelled") return b;
    if (auto r = c.execute("UPDATE account_bills SET status = 'cancelled', updated_at = $1 WHERE id = $2", {now, id}); !r)
      return r.error();
    b.status = "cancelled";
    b.updated_at = now;
    return b;
  });
}

mno::Result<RecurringBillRecord> AccountStore::create_recurring_bill(const std::string& marketplace, const FieldMap& in) {
  std::map<std::string, std::string> errors;
  if (auto s = check_group(marketplace, in, errors); !s) return s.error();
  RecurringBillRecord b;
  check_charge(in, errors, b.price_cents, b.currency, b.description);
  // The ref sandbox lowercases the period before validating it and returns it lowercase.
  auto p = field(in, "period");
  b.period = p && !p->empty() ? *p : "month";
  std::transform(b.period.begin(), b.period.end(), b.period.begin(), [](unsigned char ch) { return std::tolower(ch); });
  static const std::map<std::string, int> per_year = {{"day", 366}, {"week", 52}, {"semimonth", 24}, {"month", 12}, {"year", 1}};
  auto period_it = per_year.find(b.period);
  if (period_it == per_year.end()) errors["period"] = "is not included in the list";
  if (auto f = field(in, "frequency"); f && !f->empty()) {
    auto n = parse_int(*f);
    if (!n || *n < 1) errors["frequency"] = "must be an integer greater than 0";
    else b.frequency = static_cast<int>(*n);
  }
  if (period_it != per_year.end() && !errors.count("frequency")) {
    if (b.period == "semimonth" && b.frequency != 1) errors["frequency"] = "must be 1 for a semimonth period";
    else if (b.frequency > period_it->second) errors["frequency"] = "makes a period longer than one year";
  }
  if (auto cy = field(in, "cycles"); cy && !cy->empty()) {
    auto n = parse_int(*cy);
    if (!n || *n < 1) errors["cycles"] = "must be an integer greater than 0";
    else b.cycles = static_cast<int>(*n);
  }
  if (auto ic = field(in, "initial_cents"); ic && !ic->empty()) {
    auto n = parse_int(*ic);
    if (!n || *n < 0) errors["initial_cents"] = "must be an integer of at least 0";
    else b.initial_cents = *n;
  }
  auto now = clock_.now();
  b.start_date = time_field(in, "start_date", errors);
  if (b.start_date.empty() && !errors.count("start_date")) b.start_date = mno::format_iso8601(now);
  if (!errors.count("start_date") && *mno::parse_iso8601(b.start_date) < now - std::chrono::hours(1))
    errors["start_date"] = "cannot be in the past";
  if (!errors.empty()) return invalid(std::move(errors));
  b.id = "rbill-" + random_.hex_token(8);
  b.marketplace = marketplace;
  b.group_id = *field(in, "group_id");
  b.status = "submitted";
  b.created_at = b.updated_at = mno::format_iso8601(now);
  std::optional<BillRecord> initial;
  if (b.initial_cents > 0) {
    initial.emplace();
    initial->id = "bill-" + random_.hex_token(8);
    initial->marketplace = marketplace;
    initial->group_id = b.group_id;
    initial->price_cents = b.initial_cents;
    initial->currency = b.currency;
    initial->description = "Initial: " + b.description;
    initial->status = "submitted";
    initial->created_at = initial->updated_at = b.created_at;
  }
  auto s = db_->transaction([&](mno::db::Connection& c) -> mno::Status {
    auto r = c.execute(std::string("INSERT INTO account_recurring_bills (") + kRecurringColumns +
                           ", created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                       {b.id, b.marketplace, b.group_id, b.price_cents, b.currency, b.description, b.period,
                        int64_t{b.frequency}, b.cycles ? mno::db::Value{int64_t{*b.cycles}} : mno::db::Value{}, b.start_date,
                        b.initial_cents, b.status, b.created_at, b.updated_at, millis(now)});
    if (!r) return r.error();
    if (initial) return insert_bill(c, *initial, millis(now));
    return {};
  });
  if (!s) return s.error();
  return b;
}

mno::Result<std::vector<RecurringBillRecord>> AccountStore::recurring_bills(const std::string& marketplace) const {
  auto rows = db_->query(std::string("SELECT ") + kRecurringColumns +
                             " FROM account_recurring_bills WHERE marketplace = $1 ORDER BY created_ms, id",
                         {marketplace});
  if (!rows) return rows.error();
  std::vector<RecurringBillRecord> out;
  for (const auto& r : *rows) out.push_back(recurring_from(r));
  return out;
}

mno::Result<RecurringBillRecord> AccountStore::recurring_bill(const std::string& marketplace, const std::string& id) const {
  auto rows = db_->query(std::string("SELECT ") + kRecurringColumns +
                             " FROM account_recurring_bills WHERE marketplace = $1 AND id = $2",
                         {marketplace, id});
  if (!rows) return rows.error();
  if (rows->empty()) return not_found();
  return recurring_from(rows->front());
}

mno::Result<RecurringBillRecord> AccountStore::cancel_recurring_bill(const std::string& marketplace, const std::string& id) {
  auto now = mno::format_iso8601(clock_.now());
  return db_->transact([&](mno::db::Connection& c) -> mno::Result<RecurringBillRecord> {
    auto row = c.query_one(std::string("SELECT ") + kRecurringColumns +
                               " FROM account_recurring_bills WHERE marketplace = $1 AND id = $2",
                           {marketplace, id});
    if (!row) return row.error();
    if (!*row) return not_found();
    auto b = recurring_from(**row);
    if (b.status == "cancelled") return b;
    if (auto r = c.execute("UPDATE account_recurring_bills SET status = 'cancelled', updated_at = $1 WHERE id = $2", {now, id}); !r)
      return r.error();
    b.status = "cancelled";
    b.updated_at = now;
    return b;
  });
}

mno::Result<std::vector<BillRecord>> AccountStore::group_bills(const std::string& group_id) const {
  auto rows = db_->query(std::string("SELECT ") + kBillColumns + " FROM account_bills WHERE group_id = $1 ORDER BY created_ms, id",
                         {group_id});
  if (!rows) return rows.error();
  std::vector<BillRecord> out;
  for (const auto& r : *rows) out.push_back(bill_from(r));
  return out;
}

mno::Result<std::vector<RecurringBillRecord>> AccountStore::group_recurring_bills(const std::string& group_id) const {
  auto rows = db_->query(std::string("SELECT ") + kRecurringColumns +
                             " FROM account_recurring_bills WHERE group_id = $1 ORDER BY created_ms, id",
                         {group_id});
  if (!rows) return rows.error();
  std::vector<RecurringBillRecord> out;
  for (const auto& r : *rows) out.push_back(recurring_from(r));
  return out;
}

mno::Result<int64_t> AccountStore::invoice_submitted(const std::string& group_id) {
  return db_->execute("UPDATE account_bills SET status = 'invoiced', updated_at = $1 WHERE group_id = $2 AND status = 'submitted'",
                      {mno::format_iso8601(clock_.now()), group_id});
}

mno::Status AccountStore::clear() {
  return db_->transaction([](mno::db::Connection& c) -> mno::Status {
    for (const char* sql : {"DELETE FROM account_bills", "DELETE FROM account_recurring_bills"})
      if (auto r = c.execute(sql); !r) return r.error();
    return {};
  });
}

}  // namespace sandbox
