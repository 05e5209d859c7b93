#pragma once
// The arithmetic of a run's bounds, apart from the threads and sockets that run it (so tests
// check it exactly): how the work splits over workers, when sending stops, why the run stopped
// and which window the result covers.
#include <cstdint>

#include "engine/rate_schedule.h"
#include "metrics/run_facts.h"
#include "metrics/run_result.h"
#include "plan/plan.h"

namespace strest {

// Splits `total` into `parts` shares that differ by at most one (earlier shares larger).
uint64_t share_of(uint64_t total, uint32_t parts, uint32_t index);

// Run time at which sending stops: the duration (default 10 s), or never when only a request
// count bounds the run.
int64_t deadline_of(const Plan& plan);

// Why the run ended, given the stop signal seen at the end (0: none, kStopForThreshold, or a
// signal number) and the requests completed.
StopReason stop_reason_of(const Plan& plan, uint64_t completed, int stop_signal);

// What the run was: how long, why it stopped (given the stop signal seen at the end) and, open
// loop, what the schedule asked for during the measured window (after the warmup) and at what
// rate.
RunFacts facts_of(const Plan& plan, const RateSchedule* schedule, int64_t wall_us,
                  uint64_t completed, int stop_signal);

}  // namespace strest
