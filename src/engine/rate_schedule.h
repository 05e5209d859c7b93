#pragma once
// RateSchedule: when each request of an open-loop run is due. The rate is piecewise linear
// (start rate, then linear ramps per stage, then the last rate holds), so the number of requests
// due by time t, N(t), is piecewise quadratic and request i is due exactly when N(t) = i. Pure
// arithmetic: no clock, so tests check it exactly.
#include <cstdint>
#include <limits>
#include <vector>

#include "plan/plan.h"

namespace strest {

class RateSchedule {
 public:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

  explicit RateSchedule(const LoadProfile& profile);

  // Intended send time of request i (0-based, over the whole run) in µs since the start;
  // kNever if the rate stays at 0 before it is reached.
  int64_t due_us(uint64_t i) const;
  // N(t): requests due in [0, t), as a real number.
  double expected_count(int64_t t_us) const;
  // Number of requests due strictly before t.
  uint64_t due_before(int64_t t_us) const;
  // The rate in requests per second at time t.
  double rate_at(int64_t t_us) const;

 private:
  // Rate a + b * (t - start) over [start, start + length); counts are N at the segment start.
  struct Segment {
    double start_s;
    double length_s;  // infinite for the last one
    double rate;      // a
    double slope;     // b, requests per second per second
    double count_at_start;
  };
  const Segment& segment_at_time(double t_s) const;

  std::vector<Segment> segments_;
};

}  // namespace strest
