#pragma once
// The run's clock: monotonic microseconds since the run started. Every timing decision (the
// worker's deadline, timeouts, ramp and pacing, the handshake stamps, the collector's ticks)
// reads it; on the hot path a worker reads it once per loop wake-up. Tests drive it by hand
// through a ManualClock, so they never sleep and never depend on the machine's speed.
//
// It sits below every other part (engine, net and metrics all read time) and is a concrete class
// with one well-predicted branch rather than a virtual interface: cheaper than an indirect call,
// and the real clock stays inline.
#include <time.h>

#include <cstdint>

namespace strest {

inline int64_t monotonic_us() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1'000;
}

// Time set by hand, for tests: now() is whatever was set last. Not thread-safe: tests that use
// it drive a worker from their own thread.
class ManualClock {
 public:
  explicit ManualClock(int64_t now_us = 0) : now_us_(now_us) {}
  int64_t now() const { return now_us_; }
  void set(int64_t now_us) { now_us_ = now_us; }
  void advance(int64_t by_us) { now_us_ += by_us; }

 private:
  int64_t now_us_;
};

class RunClock {
 public:
  // The monotonic clock, counted from `start_us` (now, by default).
  explicit RunClock(int64_t start_us = monotonic_us()) : start_us_(start_us) {}
  // Run time read from `manual`, which must outlive this clock.
  explicit RunClock(const ManualClock& manual) : start_us_(0), manual_(&manual) {}

  int64_t now() const {
    if (manual_ != nullptr) [[unlikely]] {
      return manual_->now();
    }
    return monotonic_us() - start_us_;
  }
  int64_t start_us() const { return start_us_; }

 private:
  int64_t start_us_;
  const ManualClock* manual_ = nullptr;  // set only in tests
};

}  // namespace strest
