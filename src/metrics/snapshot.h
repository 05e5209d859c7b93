#pragma once
// Snapshot: what observers (progress line, later TUI and sinks) see ~10 times a second.
#include <cstdint>
#include <vector>

#include "metrics/run_result.h"
#include "metrics/tally.h"

namespace strest {

struct Snapshot {
  int64_t elapsed_us = 0;         // since the run started
  const Tally* totals = nullptr;  // run totals so far (owned by the Collector)
  const std::vector<SecondSample>* series = nullptr;
  double recent_rps = 0;   // completions per second over the last second
  uint64_t in_flight = 0;  // requests in flight in the latest tick (summed over workers)
};

class SnapshotObserver {
 public:
  virtual ~SnapshotObserver() = default;
  // Called on the Collector thread after each fold; must return quickly.
  virtual void on_snapshot(const Snapshot& snapshot) = 0;
  // Called once after the last fold, before the report.
  virtual void on_finish(const Snapshot& snapshot) { (void)snapshot; }
};

}  // namespace strest
