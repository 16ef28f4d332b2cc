// Injectable time source. Production code asks a Clock for "now"; tests use ManualClock and
// move time forward explicitly, so nothing ever sleeps to test a timeout, expiry or refresh.
#pragma once
#include <atomic>
#include <chrono>

namespace mno {

using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
  static const SystemClock& instance() { static SystemClock c; return c; }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{std::chrono::seconds{1'800'000'000}}) : now_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint{TimePoint::duration{now_.load()}}; }
  void set(TimePoint t) { now_ = t.time_since_epoch().count(); }
  void advance(std::chrono::system_clock::duration d) { now_ += d.count(); }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace mno
