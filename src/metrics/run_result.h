#pragma once
// What a finished run hands to the report: totals, the per-second series, how it ended.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
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
  // Latency percentiles of the second's responses in µs (0 when it had none), all and ok.
  int64_t p50_us = 0, p90_us = 0, p99_us = 0;
  int64_t p50_ok_us = 0, p90_ok_us = 0, p99_ok_us = 0;
  uint64_t in_flight_max = 0;  // most requests in flight at once (sampled per worker loop)
  // How much of this second the run lasted: 1 s but for the last one (a 10.005 s run's last
  // second spans 5 ms). Rates per second divide by it; see second_rate().
  int64_t span_us = 1'000'000;
};

// `count` of a second as a rate per second over the part of the second the run covered, so a
// partial last second is not drawn as a collapse.
inline double second_rate(const SecondSample& sample, uint64_t count) {
  const double span = static_cast<double>(sample.span_us > 0 ? sample.span_us : 1'000'000);
  return static_cast<double>(count) * 1e6 / span;
}

// Leaves out a last, partial second in which nothing completed and nothing was in flight: the
// run's shutdown after its deadline (requests still in flight are cancelled then), which would
// read as a collapse to 0 requests/s. A stall at the end keeps its second: requests were in
// flight.
inline void drop_shutdown_second(std::vector<SecondSample>& series) {
  if (series.empty()) return;
  const SecondSample& last = series.back();
  if (last.completed == 0 && last.in_flight_max == 0 && last.span_us < 1'000'000) {
    series.pop_back();
  }
}

// kUser: ended from the TUI with q (results kept, exit 0).
enum class StopReason { kDuration, kRequestCount, kSignal, kThreshold, kUser };

// Distributed controller: one agent's part in the run, for the summary's agent list.
struct AgentReport {
  std::string agent_id;
  uint32_t weight = 1;
  uint64_t requests = 0;  // completed requests in the ticks it sent
  uint64_t errors = 0;
  // "healthy" (finished), "dropped" (lost mid-run: no heartbeat, or its stream broke) or
  // "failed" (its run could not start: `note` says why).
  std::string health = "healthy";
  int64_t joined_us = 0;              // run time it joined (negative: before the start)
  std::optional<int64_t> dropped_us;  // run time it was lost, when dropped
  std::string note;
};

struct RunResult {
  std::string target;                 // URL as shown to the user
  std::chrono::microseconds wall{0};  // start of sending to the last worker stopping
  // The window results cover: wall minus --warmup. RPS and rates are per this window.
  std::chrono::microseconds measured{0};
  std::chrono::microseconds warmup{0};  // --warmup
  bool open_loop = false;
  bool replayed = false;  // rebuilt by --replay from recorded requests
  // Open loop: requests the schedule asked for during the measured window, and its mean rate.
  double scheduled_requests = 0;
  double target_rps = 0;
  // The run log's files (one per shard) and how many records they hold; equals the summary's
  // total. Deleted by the caller unless --keep-tmp.
  std::vector<std::string> run_log_paths;
  uint64_t run_log_records = 0;
  Tally totals;
  // Why requests failed, in words, by transport error kind: the first reason seen ("" if none).
  std::array<std::string, kTransportErrorKinds> error_details;
  std::vector<SecondSample> series;
  // Scenario runs (empty otherwise): the steps' names, as many as totals.steps, and the first
  // assert-failure detail per step ("" where none).
  std::vector<std::string> step_names;
  std::vector<std::string> assert_details;
  // Distributed controller (empty otherwise): every agent that took part, in join order.
  std::vector<AgentReport> agents;
  StopReason stop_reason = StopReason::kDuration;
  int signal = 0;  // SIGINT / SIGTERM when stop_reason is kSignal
};

// Seconds of the measured window (falls back to the wall clock when no window was set).
inline double measured_seconds(const RunResult& result) {
  const auto us = result.measured.count() > 0 ? result.measured.count() : result.wall.count();
  return static_cast<double>(us) / 1e6;
}

}  // namespace strest
