// The sandbox's outbound delivery queue: every call the platform makes to a partner app (account
// webhooks, Connec! notifications) is enqueued here, persisted in the state database (migrations
// 30-39), and sent by a sender thread through mno::http::HttpClient with bounded retries and
// exponential backoff. Each attempt is logged (time, HTTP status or transport error, latency,
// response body truncated to 2 KB) so the admin UI and the control API can show what the app got.
// Rows are claimed with a lease in the database, never an in-process lock, so the background sender
// and a "run now" from the control API never send the same attempt twice.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mno/db/database.hpp"
#include "mno/db/migrations.hpp"
#include "mno/http/http_client.hpp"
#include "mno/util/clock.hpp"
#include "mno/util/result.hpp"

namespace sandbox {

// What to send. `kind` is a stable dotted name used to filter the log, e.g. "account.group_deleted",
// "account.group_user_deleted", "connec.notification".
struct OutboundDelivery {
  std::string marketplace;  // the app instance the call is for
  std::string kind;
  std::string method = "POST";
  std::string url;  // absolute: the app's host + the webhook path
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Content-Type; no Authorization here
  std::optional<std::pair<std::string, std::string>> basic_auth;  // api.id, api.key of the marketplace
  std::string body;
};

// One try, as the log shows it.
struct DeliveryAttempt {
  int attempt = 0;     // 1-based
  std::string time;    // ISO 8601 UTC, when the request started
  int status = 0;      // HTTP status; 0 = no HTTP answer (see error)
  std::string error;   // "" when an HTTP answer came; else "<http.code>: <message>"
  int64_t latency_ms = 0;
  std::string response_body;  // first kMaxLoggedBody bytes
};

// state: "pending" (waiting for its next attempt), "sending" (claimed), "delivered" (a 2xx came
// back), "failed" (the attempt cap was reached without a 2xx).
struct DeliveryRecord {
  int64_t id = 0;
  std::string marketplace, kind, method, url;
  std::string auth_user;  // the Basic user sent (api.id); the password is never shown
  std::string body;
  std::string state;
  int attempts = 0;
  std::string created_at, next_attempt_at, finished_at;  // ISO 8601 UTC; "" = none
  int last_status = 0;
  std::string last_error;
  std::vector<DeliveryAttempt> log;  // oldest first
};

struct DeliveryOptions {
  int max_attempts = 6;                          // then the delivery is "failed"
  std::chrono::milliseconds base_delay{2000};    // delay after attempt n = min(max_delay, base_delay * 2^(n-1))
  std::chrono::milliseconds max_delay{300000};
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds lease{60000};        // a claim not finished by then may be taken again
  std::chrono::milliseconds idle_poll{1000};     // sender thread: how often it looks without a wake-up
  int batch = 16;                                // deliveries claimed at once
};

inline constexpr size_t kMaxLoggedBody = 2048;

// Migrations 30..39 of the sandbox state (appended to SandboxState's list: one schema version).
const std::vector<mno::db::Migration>& delivery_migrations();

// The delay before attempt `failed_attempts + 1` (exposed for tests and docs).
std::chrono::milliseconds delivery_backoff(const DeliveryOptions& options, int failed_attempts);

class DeliveryQueue {
 public:
  // `http` and `clock` must outlive the queue. The clock decides what is due and stamps the log;
  // latency is measured with the steady clock.
  DeliveryQueue(std::shared_ptr<mno::db::Database> db, mno::http::HttpClient& http, const mno::Clock& clock,
                DeliveryOptions options = {});
  ~DeliveryQueue();  // stop()
  DeliveryQueue(const DeliveryQueue&) = delete;
  DeliveryQueue& operator=(const DeliveryQueue&) = delete;

  // Persists the delivery (due now) and wakes the sender. Returns its id.
  // Errors: "delivery.invalid" (no url/method/kind), db errors.
  mno::Result<int64_t> enqueue(const OutboundDelivery& delivery);
  // The same inside the caller's transaction (the state change and its webhook commit together);
  // call wake() after the commit.
  mno::Result<int64_t> enqueue_in(mno::db::Connection& c, const OutboundDelivery& delivery);
  void wake();

  // One pass: claims the deliveries due now (up to batch), sends each once, records the outcome.
  // Returns how many attempts were made. The sender thread calls this; tests may too.
  mno::Result<int> run_due();
  // "Run now" (control API): makes every pending delivery due at once and keeps attempting, without
  // waiting for backoff, until none is pending or `deadline` passes (deliveries claimed by the
  // sender thread are waited for). Returns the attempts this call made.
  mno::Result<int> run_all_now(std::chrono::milliseconds deadline = std::chrono::seconds(30));

  // Newest first, each with its attempt log; kind "" = every kind; limit clamped to 1..500.
  mno::Result<std::vector<DeliveryRecord>> list(const std::string& kind = "", int limit = 50) const;
  mno::Result<std::optional<DeliveryRecord>> get(int64_t id) const;
  // Deletes every delivery and its log.
  mno::Status clear();

  // The background sender: run_due() whenever woken by enqueue() or every idle_poll, and exactly when
  // the next retry falls due. Idempotent.
  void start();
  void stop();
  const DeliveryOptions& options() const { return options_; }

 private:
  struct Claimed;
  mno::Result<std::vector<Claimed>> claim(bool ignore_due_time);
  mno::Status attempt(const Claimed& c);
  mno::Result<std::optional<mno::TimePoint>> next_due() const;
  void sender_loop();

  std::shared_ptr<mno::db::Database> db_;
  mno::http::HttpClient& http_;
  const mno::Clock& clock_;
  DeliveryOptions options_;
  std::string owner_;  // lease owner id of this queue

  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread sender_;
};

}  // namespace sandbox
