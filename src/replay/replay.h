#pragma once
// Replay: rebuilds a run's results from a kept run log or an export, sending nothing. The
// recorded requests go through the same Recorder and Collector as a live run, so the summary,
// charts, exports, sinks and thresholds work the same; snapshots of the results so far can be
// written at intervals.
#include <span>

#include "metrics/run_result.h"
#include "metrics/snapshot.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// Replays plan.replay (which must be set). The result covers the replay window, with time 0 at
// its start; result.run_log_paths holds a run log of just the window's requests (for exports),
// to be removed by the caller like a live run's.
Result<RunResult> replay_run(const Plan& plan, std::span<SnapshotObserver* const> observers);

// The plan the replay's observers judge by: plan, with the --warmup of the run when a whole
// version 2 run log is replayed (so sinks and the threshold watch leave out the same warmup as
// they did live). Reads only the last record of the run's first shard.
Plan observed_plan(const Plan& plan);

}  // namespace strest
