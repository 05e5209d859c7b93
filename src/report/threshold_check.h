#pragma once
// Threshold checks: each parsed threshold judged against a run's totals, for the summary, the
// JSON export and the exit code (CI), and live for abort_on_fail.
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <vector>

#include "metrics/run_result.h"
#include "metrics/tally.h"
#include "plan/plan.h"
#include "plan/threshold.h"

namespace strest {

// One threshold and how the run measured up to it.
struct ThresholdResult {
  Threshold threshold;
  // In the threshold's units (µs, fraction, requests/s, count); NaN when a latency threshold
  // had no samples to judge.
  double actual = 0;
  bool passed = false;
};

// Judges every threshold against totals over `measured_seconds` (the measured window, warmup
// excluded). rps = completed / measured_seconds (0 when that is not positive); rates divide by
// completed requests and are 0 when none completed; latency comes from latency_all or, for
// the _ok metrics, latency_ok. A latency threshold with no samples fails (actual = NaN).
std::vector<ThresholdResult> evaluate_thresholds(const std::vector<Threshold>& thresholds,
                                                 const Tally& totals, double measured_seconds);

// The verdict on plan.thresholds of a finished run (or replay), over its measured window. The
// summary, the JSON export and the exit code all take it from here, so they never disagree.
std::vector<ThresholdResult> judge_run(const RunResult& result, const Plan& plan);

// True when every result passed (and when there are none).
bool all_passed(const std::vector<ThresholdResult>& results);

// A "Thresholds" section for the summary, one line per threshold:
// "  PASS  p99<200ms       (p99 = 12.3ms)"; PASS green and FAIL red when `color`.
// Writes nothing when there are no results.
void write_threshold_text(const std::vector<ThresholdResult>& results, std::ostream& out,
                          bool color);

// An array of {"expression", "metric", "passed", "actual", "limit", "unit"}: actual and limit
// in the user's units ("ms" for latency, "%" for rates, "req/s" for rps, "count" otherwise);
// actual is null when there were no samples.
nlohmann::json threshold_json(const std::vector<ThresholdResult>& results);

// For abort_on_fail, called with the running totals: the first threshold whose failure the
// rest of the run can no longer undo by adding data. Not yet judged: latency with no samples,
// rates and rps before any request completed, and counts that still have to grow
// (">", ">=", "!=", "==" while below the limit). Everything else is judged as it stands now.
std::optional<ThresholdResult> first_failure(const std::vector<Threshold>& thresholds,
                                             const Tally& totals, double measured_seconds);

}  // namespace strest
