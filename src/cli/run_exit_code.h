#pragma once
// The exit code of a finished run, for every command that runs or rebuilds one (a load test,
// a replay, a distributed controller's run): signals first, then outputs, then thresholds.
#include "metrics/run_result.h"
#include "plan/plan.h"

namespace strest {

// `outputs_written`: write_run_outputs succeeded; `threshold_aborted`: --abort-on-fail stopped
// the run.
int exit_code_of(const RunResult& result, const Plan& plan, bool outputs_written,
                 bool threshold_aborted);

}  // namespace strest
