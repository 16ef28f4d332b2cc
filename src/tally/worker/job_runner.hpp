// The background worker of one Tally process: a thread that runs registered jobs (billing ledger,
// retention purge, Connec! outbox and inbox, imports). Each job does one bounded round per call and
// reports how much it did; a round that did work is followed at once by another, an idle job waits
// for its interval or a nudge. Several processes may run the same jobs against one PostgreSQL
// database: jobs claim their work with leases in the database, never with in-process locks, so the
// runner itself needs no coordination. Rounds are exception-safe: an exception is logged as an error
// and the job is retried after its interval.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mno/util/result.hpp"

namespace web {
class Metrics;
}

namespace tally {

struct Job {
  std::string name;  // stable, [a-z_]+ (used in logs and metric labels)
  // One bounded round; returns the number of items handled (0 = idle). Must not block for long.
  std::function<mno::Result<int>()> run_once;
  std::chrono::milliseconds idle_interval{1000};
};

class JobRunner {
 public:
  explicit JobRunner(std::shared_ptr<web::Metrics> metrics = nullptr);
  ~JobRunner();  // stop()
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Register before start(); names must be unique.
  void add(Job job);
  std::vector<std::string> job_names() const;

  void start();
  void stop();  // finishes the round in progress, then joins; idempotent
  bool running() const;

  // Asks the named job (or every job when name is empty) to run as soon as possible. Cheap; safe
  // from any thread (request handlers call it after writing work for a job).
  void nudge(const std::string& name = {});

  // Tests and `tally worker --once`: runs every job (in registration order) until a whole pass
  // handles nothing or max_passes is reached. Returns the total handled or the first error.
  mno::Result<int> drain(int max_passes = 1000);
  // One round of one job by name ("worker.unknown_job" if absent).
  mno::Result<int> run_job(const std::string& name);

 private:
  struct Entry;
  mno::Result<int> run_entry(Entry& e);
  void loop();

  std::shared_ptr<web::Metrics> metrics_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Entry>> entries_;
  bool stop_requested_ = false;
  bool running_ = false;
  std::thread thread_;
};

}  // namespace tally
