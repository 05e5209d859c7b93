#pragma once
// The report's Plan table: what a run was asked to do (target, transport, connections, duration
// or requests, rate or load profile, thresholds) and which flag or config key set each value, so
// a report reads without the command line that made it. Replays say what they read instead.
#include "metrics/run_result.h"
#include "plan/plan.h"
#include "report/html_document.h"

namespace strest {

// Columns Setting, Value, Set by. "Set by" is plan.origins' source of the setting ("--rate",
// "duration in strest.toml", how strest derived it) or "default". Header values are never
// shown (they may carry credentials): only their names.
RowTable plan_table(const RunResult& result, const Plan& plan);

}  // namespace strest
