// Prometheus text exposition: HELP/TYPE lines, label escaping, cumulative histogram buckets.
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "web/metrics.hpp"

using web::Metrics;

TEST(Metrics, RendersCountersAndGaugesWithLabels) {
  Metrics m;
  m.counter("jobs_total", "Jobs done", {{"kind", "sync"}}).inc();
  m.counter("jobs_total", "Jobs done", {{"kind", "sync"}}).inc(2);
  m.counter("jobs_total", "Jobs done", {{"kind", "we\"ird\\\n"}}).inc();
  m.gauge("queue_depth", "Queued jobs").set(4.5);
  EXPECT_EQ(m.render(),
            "# HELP jobs_total Jobs done\n"
            "# TYPE jobs_total counter\n"
            "jobs_total{kind=\"sync\"} 3\n"
            "jobs_total{kind=\"we\\\"ird\\\\\\n\"} 1\n"
            "# HELP queue_depth Queued jobs\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth 4.5\n");
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics m;
  auto& h = m.histogram("latency_seconds", "Latency", {{"route", "/x"}}, {0.125, 0.5});
  h.observe(0.0625);
  h.observe(0.125);
  h.observe(0.25);
  h.observe(2);
  EXPECT_EQ(m.render(),
            "# HELP latency_seconds Latency\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"/x\",le=\"0.125\"} 2\n"
            "latency_seconds_bucket{route=\"/x\",le=\"0.5\"} 3\n"
            "latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{route=\"/x\"} 2.4375\n"
            "latency_seconds_count{route=\"/x\"} 4\n");
}

TEST(Metrics, SameSeriesIsTheSameObjectAndTypesCannotChange) {
  Metrics m;
  auto& a = m.counter("c_total", "c", {{"a", "1"}});
  EXPECT_EQ(&a, &m.counter("c_total", "c", {{"a", "1"}}));
  EXPECT_NE(&a, &m.counter("c_total", "c", {{"a", "2"}}));
  EXPECT_THROW(m.gauge("c_total", "c"), std::logic_error);
  EXPECT_THROW(m.counter("bad-name", "x"), std::logic_error);
  EXPECT_THROW(m.counter("ok_total", "x", {{"bad-label", "v"}}), std::logic_error);
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
  Metrics m;
  auto& c = m.counter("hits_total", "hits");
  auto& h = m.histogram("d_seconds", "d");
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(0.002);
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(c.value(), 40000);
  EXPECT_EQ(h.count(), 40000u);
  EXPECT_EQ(h.cumulative(h.bounds().size()), 40000u);
}
