// See job_runner.hpp. Scheduling uses the steady clock: it decides only when to look for work, never
// what is due (jobs ask the injected mno::Clock for that), so tests drive jobs with drain()/run_job().
#include "tally/worker/job_runner.hpp"

#include <exception>

#include "mno/util/log.hpp"
#include "web/metrics.hpp"

namespace tally {

using Steady = std::chrono::steady_clock;

struct JobRunner::Entry {
  Job job;
  Steady::time_point next_run{};  // epoch: run at start
  bool nudged = false;
  std::mutex round_mu;  // one round of a job at a time (loop + drain/run_job from tests or CLI)
};

JobRunner::JobRunner(std::shared_ptr<web::Metrics> metrics) : metrics_(std::move(metrics)) {}

JobRunner::~JobRunner() { stop(); }

void JobRunner::add(Job job) {
  std::lock_guard lock(mu_);
  auto e = std::make_unique<Entry>();
  e->job = std::move(job);
  entries_.push_back(std::move(e));
}

std::vector<std::string> JobRunner::job_names() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  for (const auto& e : entries_) names.push_back(e->job.name);
  return names;
}

void JobRunner::start() {
  std::lock_guard lock(mu_);
  if (running_) return;
  stop_requested_ = false;
  running_ = true;
  thread_ = std::thread([this] { loop(); });
  mno::log::info("worker.started", {{"jobs", std::to_string(entries_.size())}});
}

void JobRunner::stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stop_requested_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  running_ = false;
  mno::log::info("worker.stopped", {});
}

bool JobRunner::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

void JobRunner::nudge(const std::string& name) {
  {
    std::lock_guard lock(mu_);
    for (auto& e : entries_)
      if (name.empty() || e->job.name == name) e->nudged = true;
  }
  cv_.notify_all();
}

mno::Result<int> JobRunner::run_entry(Entry& e) {
  std::lock_guard round(e.round_mu);
  auto started = Steady::now();
  mno::Result<int> r = 0;
  try {
    r = e.job.run_once();
  } catch (const std::exception& ex) {
    r = mno::make_error("worker.exception", ex.what());
  } catch (...) {
    r = mno::make_error("worker.exception", "unknown exception");
  }
  double seconds = std::chrono::duration<double>(Steady::now() - started).count();
  if (metrics_) {
    metrics_->histogram("tally_job_round_seconds", "Duration of one round of a background job", {{"job", e.job.name}})
        .observe(seconds);
    if (r && *r > 0)
      metrics_->counter("tally_job_items_total", "Items handled by background jobs", {{"job", e.job.name}}).inc(*r);
    if (!r)
      metrics_->counter("tally_job_errors_total", "Failed rounds of background jobs", {{"job", e.job.name}}).inc();
  }
  if (!r)
    mno::log::error("worker.round_failed",
                    {{"job", e.job.name}, {"code", r.error().code}, {"error", r.error().message}});
  return r;
}

mno::Result<int> JobRunner::run_job(const std::string& name) {
  Entry* found = nullptr;
  {
    std::lock_guard lock(mu_);
    for (auto& e : entries_)
      if (e->job.name == name) found = e.get();
  }
  if (!found) return mno::make_error("worker.unknown_job", "no background job named '" + name + "'");
  return run_entry(*found);
}

mno::Result<int> JobRunner::drain(int max_passes) {
  std::vector<Entry*> list;
  {
    std::lock_guard lock(mu_);
    for (auto& e : entries_) list.push_back(e.get());
  }
  int total = 0;
  for (int pass = 0; pass < max_passes; ++pass) {
    int handled = 0;
    for (auto* e : list) {
      auto r = run_entry(*e);
      if (!r) return r.error();
      handled += *r;
    }
    total += handled;
    if (handled == 0) break;
  }
  return total;
}

void JobRunner::loop() {
  std::unique_lock lock(mu_);
  while (!stop_requested_) {
    auto now = Steady::now();
    Entry* due = nullptr;
    auto earliest = Steady::time_point::max();
    for (auto& e : entries_) {
      if (e->nudged || e->next_run <= now) {
        due = e.get();
        break;
      }
      earliest = std::min(earliest, e->next_run);
    }
    if (!due) {
      if (earliest == Steady::time_point::max())
        cv_.wait(lock);
      else
        cv_.wait_until(lock, earliest);
      continue;
    }
    due->nudged = false;
    lock.unlock();
    auto r = run_entry(*due);
    lock.lock();
    // Work found: look again at once (after the other due jobs); idle or failed: wait the interval.
    due->next_run = (r && *r > 0) ? Steady::now() : Steady::now() + due->job.idle_interval;
    // Rotate so one busy job cannot starve the others.
    for (size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i].get() == due) {
        auto moved = std::move(entries_[i]);
        entries_.erase(entries_.begin() + static_cast<long>(i));
        entries_.push_back(std::move(moved));
        break;
      }
  }
}

}  // namespace tally
