#pragma once
// A finished step judged: a RunResult of one fixed-rate run becomes a CapacityStep with its
// numbers, the verdict of every SLO (the same judge_run as a normal run's exit code) and, apart
// from the SLOs, whether the target degraded.
#include <string>
#include <vector>

#include "capacity/capacity_result.h"
#include "metrics/run_result.h"
#include "plan/plan.h"
#include "plan/threshold.h"

namespace strest {

// Signs that a step overloaded the target, which fail it even when every SLO held: a rate the
// target only "holds" by leaving requests unsent or failing them is not a capacity.
struct DegradationLimits {
  // Schedule lag grew until requests went unsent: fewer than this share of the requests due in
  // the measured window had started when the step ended (the rest waited for a connection).
  double min_sent_share = 0.9;
  // Errors climbed: this share of the responses or more failed. Only when no SLO judges errors
  // (an error, success or timeout rate, or an error count): then the SLOs say what is tolerated.
  double max_error_rate = 0.05;
};

// Why `step` counts as degraded under `limits` given the SLOs, or "" when it does not.
std::string degradation_of(const CapacityStep& step, const std::vector<Threshold>& slos,
                           const DegradationLimits& limits = {});

// Judges the run of one step; `plan` is the step's plan (its rate and thresholds).
CapacityStep judge_step(const RunResult& run, const Plan& plan,
                        const DegradationLimits& limits = {});

}  // namespace strest
