#pragma once
// What a capacity search found, as plain data: the settings it ran with, every step in the order
// it ran, and which steps are the knee and the first failure. The text table, the JSON, the
// chart (and any later report) are renderers of this struct; none of them runs anything.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/threshold_check.h"

namespace strest {

// The bounds and pace of a search (flags of `strest capacity`, see docs/capacity.md).
struct CapacitySettings {
  double min_rate = 0;  // the first rate tried, requests per second; > 0
  double max_rate = 0;  // never exceeded; >= min_rate
  // The search ends when first failing - knee <= precision * knee, so the true capacity lies
  // within precision of the knee. A fraction (0.05 is 5%).
  double precision = 0.05;
  // The ramp multiplies the rate by this after each passing step (until max_rate).
  double ramp_factor = 2;
  std::chrono::microseconds step_duration = std::chrono::seconds(10);  // measured part of a step
  std::chrono::microseconds step_warmup = std::chrono::seconds(2);     // left out before it
};

// How the search chose a step's rate.
enum class CapacityPhase {
  kRamp,    // min_rate, then ramp_factor times the last passing rate
  kBisect,  // half way between the highest passing and the lowest failing rate
};

// One step: a fixed-rate open-loop run and how the target held up. Latencies are in µs and NaN
// when the step had no responses; rates are requests per second.
struct CapacityStep {
  CapacityPhase phase = CapacityPhase::kRamp;
  double offered_rps = 0;   // the rate the step asked for
  double achieved_rps = 0;  // responses per measured second
  double measured_seconds = 0;
  double due = 0;     // requests the schedule asked for in the measured window
  uint64_t sent = 0;  // of those, requests that started
  uint64_t completed = 0;
  uint64_t errors = 0;
  double error_rate = 0;  // errors / completed; 0 when none completed
  // Corrected latency (from the intended send time) and service time (from the actual send).
  double p50_us = 0;
  double p99_us = 0;
  double service_p50_us = 0;
  double service_p99_us = 0;
  double lag_mean_us = 0;  // how late requests started against the schedule
  int64_t lag_max_us = 0;
  uint64_t late_starts = 0;
  std::vector<ThresholdResult> thresholds;  // every SLO's verdict on this step
  // Why the step counts as degraded whatever its SLOs say ("" when it does not), e.g. the
  // target fell so far behind that requests due were never sent (capacity/step_judge.h).
  std::string degradation;

  // True when every SLO held and the target did not degrade.
  bool passed() const { return degradation.empty() && all_passed(thresholds); }
};

// Why the search ended.
enum class CapacityOutcome {
  kKneeFound,      // a passing and a failing rate within --precision of each other
  kMaxRateHeld,    // --max-rate itself passed: the capacity is at least that
  kMinRateFailed,  // --min-rate already failed: no passing rate (exit 3)
  kInterrupted,    // stopped by a signal or a step that could not run; the steps so far stand
};

struct CapacityResult {
  std::string target;             // the URL, as shown to the user
  std::vector<std::string> slos;  // the thresholds as the user wrote them
  CapacitySettings settings;
  std::vector<CapacityStep> steps;      // in the order they ran
  std::optional<size_t> knee;           // index in steps of the highest passing rate
  std::optional<size_t> first_failing;  // index of the lowest failing rate above the knee
  CapacityOutcome outcome = CapacityOutcome::kInterrupted;
};

// The SLOs a failing step broke, in the order given (empty for a passing or degraded step).
std::vector<ThresholdResult> broken_slos(const CapacityStep& step);

// The phase and outcome as the JSON and the table write them: "ramp", "bisect";
// "knee_found", "max_rate_held", "min_rate_failed", "interrupted".
std::string phase_name(CapacityPhase phase);
std::string outcome_name(CapacityOutcome outcome);

}  // namespace strest
