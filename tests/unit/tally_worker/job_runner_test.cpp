// The background job runner: drain order and termination, unknown jobs, exceptions as errors, and the
// thread waking on a nudge (the only test here that waits, for the runner's own thread, bounded).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>

#include "tally/worker/job_runner.hpp"
#include "web/metrics.hpp"

namespace tally {
namespace {

using namespace std::chrono_literals;

TEST(JobRunner, DrainRunsEveryJobUntilAPassHandlesNothing) {
  JobRunner runner;
  int a_left = 3, b_calls = 0;
  runner.add({"a", [&]() -> mno::Result<int> { return a_left > 0 ? (a_left--, 1) : 0; }});
  runner.add({"b", [&]() -> mno::Result<int> { ++b_calls; return 0; }});
  auto handled = runner.drain();
  ASSERT_TRUE(handled) << handled.error().message;
  EXPECT_EQ(*handled, 3);
  EXPECT_EQ(a_left, 0);
  EXPECT_EQ(b_calls, 4);  // three passes with work, one idle pass
  EXPECT_EQ(runner.job_names(), (std::vector<std::string>{"a", "b"}));
}

TEST(JobRunner, DrainStopsAtMaxPassesAndReportsErrors) {
  JobRunner runner;
  runner.add({"busy", []() -> mno::Result<int> { return 1; }});
  auto handled = runner.drain(5);
  ASSERT_TRUE(handled);
  EXPECT_EQ(*handled, 5);

  JobRunner failing;
  failing.add({"bad", []() -> mno::Result<int> { return mno::make_error("x.broken", "broken"); }});
  auto r = failing.drain();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "x.broken");
}

TEST(JobRunner, UnknownJobAndExceptionsAreErrorValues) {
  auto metrics = std::make_shared<web::Metrics>();
  JobRunner runner(metrics);
  runner.add({"throws", []() -> mno::Result<int> { throw std::runtime_error("boom"); }});
  auto unknown = runner.run_job("nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "worker.unknown_job");
  auto thrown = runner.run_job("throws");
  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().code, "worker.exception");
  EXPECT_NE(thrown.error().message.find("boom"), std::string::npos);
  EXPECT_NE(metrics->render().find("tally_job_errors_total{job=\"throws\"} 1"), std::string::npos);
}

TEST(JobRunner, ThreadRunsJobsAndWakesOnNudge) {
  JobRunner runner;
  std::atomic<int> calls{0};
  std::promise<void> second_call;
  runner.add({"slow", [&]() -> mno::Result<int> {
                if (++calls == 2) second_call.set_value();
                return 0;
              },
              std::chrono::hours(1)});  // idle interval long: only a nudge can cause the second round
  runner.start();
  EXPECT_TRUE(runner.running());
  while (calls.load() < 1) std::this_thread::yield();
  runner.nudge("slow");
  EXPECT_EQ(second_call.get_future().wait_for(10s), std::future_status::ready);
  runner.stop();
  EXPECT_FALSE(runner.running());
  runner.stop();  // idempotent
}

}  // namespace
}  // namespace tally
