#pragma once
// The one way a RunResult is made, for live runs and replays alike: the run's facts, the
// Collector's totals and series, and the error details the recorders kept.
#include <span>

#include "metrics/collector.h"
#include "metrics/run_facts.h"

namespace strest {

// Gives each second of `series` the length a run of `wall_us` covered of it (1 s, or less for
// the last, partial one), so per-second rates divide by what was measured.
void set_second_spans(std::vector<SecondSample>& series, int64_t wall_us);

// `collector` must have folded and finalized everything. Each second of the series gets the
// length the run covered of it (the last one is usually partial); the shutdown after the
// deadline is left out (drop_shutdown_second).
RunResult assemble_run_result(const RunFacts& facts, const Collector& collector,
                              std::span<Recorder* const> recorders);

}  // namespace strest
