#pragma once
// What a finished run hands to the report: totals, the per-second series, how it ended.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/tally.h"

namespace strest {

// Counters of one second of the run (by completion time), for the series and later charts.
struct SecondSample {
  uint64_t second = 0;  // 0-based second since the run started
  uint64_t completed = 0;
  uint64_t ok = 0;
  uint64_t errors = 0;
  uint64_t timeouts = 0;
  uint64_t transport_errors = 0;
  uint64_t non_expected_status = 0;
  int64_t latency_sum_us = 0;  // of requests with a response, for average per second
  uint64_t latency_count = 0;
};

enum class StopReason { kDuration, kRequestCount, kSignal };

struct RunResult {
  std::string target;                 // URL as shown to the user
  std::chrono::microseconds wall{0};  // start of sending to the last worker stopping
  Tally totals;
  std::vector<SecondSample> series;
  StopReason stop_reason = StopReason::kDuration;
  int signal = 0;  // SIGINT / SIGTERM when stop_reason is kSignal
};

}  // namespace strest
