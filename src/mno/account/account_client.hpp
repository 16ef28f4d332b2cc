// Client of the platform's Account API (spec 5) for ONE marketplace: bills, recurring bills (create,
// list with filters, get, cancel), groups and users (read). HTTP Basic api.id:api.key, the
// {success, errors, data} envelope, error mapping of account_errors.hpp. Reliability (security.md 4):
// reads and cancels (idempotent on the platform) retry transport errors and 5xx with full-jitter
// backoff; creates are sent exactly once and report kAmbiguousOutcome when the answer is lost, and
// find_*_by_reference tells the caller whether its charge exists before it creates again.
// Thread-safe if the HttpClient is (the client holds no mutable state).
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/account/account_errors.hpp"
#include "mno/account/account_types.hpp"
#include "mno/config/marketplace.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/random.hpp"
#include "mno/util/result.hpp"

namespace mno::account {

enum class BodyFormat { json, form };  // form: application/x-www-form-urlencoded (Ruby SDK style)

struct RetryPolicy {
  int max_attempts = 4;  // total attempts of a GET/DELETE (1 = no retry)
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{5000};  // cap of one sleep (a Retry-After is honoured up to this)
  std::chrono::milliseconds max_elapsed{30000};  // no new attempt once this much time has passed (per Clock)
};

struct ClientOptions {
  std::chrono::milliseconds timeout{30000};  // whole exchange of one attempt
  std::chrono::milliseconds connect_timeout{5000};
  BodyFormat body_format = BodyFormat::json;
  RetryPolicy retry;
  const Clock* clock = nullptr;  // nullptr = SystemClock::instance()
  Random* random = nullptr;      // backoff jitter; nullptr = SecureRandom::instance()
  // Waits between attempts; nullptr = std::this_thread::sleep_for. Tests pass a recorder.
  std::function<void(std::chrono::milliseconds)> sleep;
};

class AccountClient {
 public:
  // `http` must outlive the client. Uses marketplace.api.{host,base,id,key}.
  AccountClient(config::Marketplace marketplace, http::HttpClient& http, ClientOptions options = {});

  // ---- bills (spec 5.2) ----
  Result<Bill> create_bill(const NewBill& bill);  // POST, never retried
  Result<std::vector<Bill>> list_bills(const ListQuery& query = {});
  Result<Bill> get_bill(const std::string& id);
  Result<Bill> cancel_bill(const std::string& id);  // DELETE; the bill comes back with status cancelled

  // ---- recurring bills (spec 5.3) ----
  Result<RecurringBill> create_recurring_bill(const NewRecurringBill& bill);  // POST, never retried
  Result<std::vector<RecurringBill>> list_recurring_bills(const ListQuery& query = {});
  Result<RecurringBill> get_recurring_bill(const std::string& id);
  Result<RecurringBill> cancel_recurring_bill(const std::string& id);

  // ---- groups and users (spec 5.4, read-only) ----
  Result<std::vector<Group>> list_groups(const ListQuery& query = {});
  Result<Group> get_group(const std::string& id);
  Result<std::vector<User>> list_users(const ListQuery& query = {});  // query.group_id scopes to one group
  Result<User> get_user(const std::string& id);

  // ---- after an ambiguous create ----
  // Lists the group's bills (with GET retries) and returns the one whose description carries
  // `reference` (bill_reference.hpp), whatever its status; nullopt when the platform has none.
  Result<std::optional<Bill>> find_bill_by_reference(const std::string& group_id, const std::string& reference);
  Result<std::optional<RecurringBill>> find_recurring_bill_by_reference(const std::string& group_id,
                                                                        const std::string& reference);

  const config::Marketplace& marketplace() const { return marketplace_; }

 private:
  enum class Retry { safe, never };
  // Sends (with retries when `retry` is safe) and unwraps the envelope's data.
  Result<nlohmann::json> call(const std::string& method, const std::string& path, const ListQuery* query,
                              const nlohmann::json* body, Retry retry);
  http::Request build(const std::string& method, const std::string& path, const ListQuery* query,
                      const nlohmann::json* body) const;
  std::chrono::milliseconds backoff(int attempt, const http::Response* last) const;

  config::Marketplace marketplace_;
  http::HttpClient& http_;
  ClientOptions options_;
};

}  // namespace mno::account
