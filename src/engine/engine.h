#pragma once
// Engine: resolves the target once, builds the request bytes once, runs the workers and the
// Collector, and returns what was measured. Observers see Snapshots while it runs.
#include <span>

#include "metrics/collector.h"
#include "metrics/run_result.h"
#include "metrics/snapshot.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// Runs the load test of `plan`. Fails only before sending (e.g. the host does not resolve).
// `ticks`, when set, sees every tick the run's Collector folds (a distributed agent's stream).
Result<RunResult> run_load_test(const Plan& plan, std::span<SnapshotObserver* const> observers,
                                TickListener* ticks = nullptr);

}  // namespace strest
