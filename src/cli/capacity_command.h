#pragma once
// `strest capacity`: runs the search of capacity/capacity_search.h with real steps (each an
// ordinary open-loop run of the plan at the rate the search picks), prints a table row per step
// as it finishes, then the verdict, and writes -o and capacity.png.
#include "capacity/capacity_result.h"
#include "plan/plan.h"

namespace strest {

// Builds the plan of one step: `plan` at `rate` requests per second, run for the settings'
// warmup plus step duration, with no output files of its own (the search writes those).
Plan capacity_step_plan(const Plan& plan, const CapacitySettings& settings, double rate);

// The exit code of a finished search whose outputs were written (or not): 0 when a rate held,
// 3 (kExitThresholdFailed) when even the first rate failed, 1 when a step could not run or an
// output could not be written, 128 + signal when interrupted.
int capacity_exit_code(const CapacityResult& result, bool outputs_written, int signal,
                       bool step_failed_to_run);

// Runs the search of plan.url against plan.thresholds and returns the process exit code.
int run_capacity_command(const Plan& plan, const CapacitySettings& settings);

}  // namespace strest
