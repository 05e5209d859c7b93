#pragma once
// Monotonic microseconds since the run started; one clock read per event on the hot path.
#include <time.h>

#include <cstdint>

namespace strest {

inline int64_t monotonic_us() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1'000;
}

class RunClock {
 public:
  explicit RunClock(int64_t start_us = monotonic_us()) : start_us_(start_us) {}
  int64_t now() const { return monotonic_us() - start_us_; }
  int64_t start_us() const { return start_us_; }

 private:
  int64_t start_us_;
};

}  // namespace strest
