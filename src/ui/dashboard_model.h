#pragma once
// DashboardModel: turns the Collector's Snapshots into DashboardState, everything the live
// dashboard shows, as plain values. It is the only part of the TUI that reads metrics; the view
// only draws a state, so both are tested without a terminal or a clock.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "metrics/snapshot.h"
#include "plan/plan.h"
#include "ui/text_charts.h"

namespace strest {

// What the dashboard knows of the run before it starts.
struct DashboardSetup {
  std::string target;
  std::optional<LoadProfile> load;  // open loop when set
  uint32_t max_tasks = 0;
  std::optional<int64_t> planned_us;         // -t, when the run has one
  std::optional<uint64_t> planned_requests;  // --requests
  std::vector<Threshold> thresholds;
  int64_t warmup_us = 0;
  int64_t window_us = 10'000'000;  // --ui-window-ms
  std::string mode;                // shown instead of the load's description when set (replay)
};

DashboardSetup dashboard_setup_of(const Plan& plan, int64_t window_us);

// Latency percentiles in µs.
struct PercentileRow {
  int64_t p50 = 0, p90 = 0, p99 = 0, p999 = 0;
  int64_t count = 0;
};

struct ThresholdLine {
  std::string expression;
  std::string actual;  // in the user's units, "n/a" without samples
  bool passed = false;
};

// Replay controls, shown when the dashboard plays back a recorded run.
struct ReplayStatus {
  bool paused = false;
  bool finished = false;
  int64_t duration_us = 0;  // of the whole recording
  int64_t step_us = 0;
  std::optional<int64_t> mark_start_us, mark_end_us;
};

struct DashboardState {
  // Header.
  std::string target;
  std::string protocol;  // "HTTP/1.1", "HTTP/2", ... once a connection is up, else ""
  std::string mode;      // "closed loop, c=50", "open loop, 2000 req/s", "stage 2/3 -> ..."
  int64_t elapsed_us = 0;
  std::optional<int64_t> remaining_us;
  double progress = -1;  // 0..1 of -t or --requests; -1 when neither bounds the run
  bool finished = false;
  // Counters.
  uint64_t total = 0, ok = 0, timeouts = 0, transport_errors = 0, non_expected = 0;
  uint64_t cancelled = 0;
  double rps = 0;
  uint64_t in_flight = 0;
  double bytes_per_second = 0;
  bool open_loop = false;
  uint64_t late_starts = 0;
  double lag_avg_us = 0;
  int64_t lag_max_us = 0;
  // Latency: all and ok; in open loop the corrected rows and the service-time rows.
  PercentileRow latency_all, latency_ok, service_all, service_ok;
  // Charts over the window: requests per second, and p50/p90/p99 per second (ms).
  std::vector<double> rps_series;
  std::vector<BrailleLine> latency_lines;
  int64_t window_start_s = 0;  // the first second of the charts
  int window_seconds = 10;
  // Status codes and errors, largest first.
  std::vector<std::pair<int, uint64_t>> status_counts;
  std::vector<std::pair<std::string, uint64_t>> errors;
  std::vector<ThresholdLine> thresholds;
  std::optional<ReplayStatus> replay;
  std::string notice;  // one line under the header ("snapshot written to ...")
};

class DashboardModel {
 public:
  explicit DashboardModel(DashboardSetup setup);

  // Reads everything the dashboard shows from `snapshot` (on the Collector thread; cheap).
  void update(const Snapshot& snapshot);
  // Marks the run as over: the header stops counting down.
  void finish() { state_.finished = true; }
  // Forgets rates measured so far (after a replay seeks backwards).
  void reset_rates();

  const DashboardState& state() const { return state_; }
  DashboardState& state() { return state_; }

 private:
  void update_header(const Snapshot& snapshot);
  void update_counters(const Snapshot& snapshot);
  void update_latency(const Tally& totals);
  void update_charts(const Snapshot& snapshot);
  void update_breakdowns(const Tally& totals);
  void update_thresholds(const Snapshot& snapshot);

  DashboardSetup setup_;
  DashboardState state_;
  int64_t last_elapsed_us_ = 0;
  uint64_t last_bytes_ = 0;
};

}  // namespace strest
