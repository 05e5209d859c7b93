#pragma once
// Replay snapshots as an observer of the replay's one Collector. The replay calls the
// observers at each time next_due_us() names (with every request completed before it folded);
// at a snapshot time the taker keeps the summary of the requests completed since the snapshot
// window's start: summary_json plus "snapshot_start_ms" and "snapshot_end_ms".
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "metrics/collector.h"
#include "metrics/run_facts.h"
#include "plan/plan.h"

namespace strest {

class SnapshotTaker : public SnapshotObserver {
 public:
  // `facts` describe the replay (target, open loop); times are in run time, and the replay's
  // time 0 is `window_start_us`.
  SnapshotTaker(const Plan& plan, const Collector& collector, RunFacts facts,
                int64_t window_start_us, int64_t window_end_us);

  // Run time of the next snapshot (or of the snapshot window's start, whose totals later
  // snapshots leave out); max when none is left.
  int64_t next_due_us() const;
  // Takes what is due at snapshot.elapsed_us.
  void on_snapshot(const Snapshot& snapshot) override;
  // Takes every snapshot still due: no request comes after.
  void on_finish(const Snapshot& snapshot) override;
  std::vector<nlohmann::json> take_all() { return std::move(taken_); }

 private:
  // Takes every snapshot (and the baseline) due at or before run time `now`.
  void take_due_by(int64_t now);
  void take(int64_t at);

  const Plan& plan_;
  const Collector& collector_;
  RunFacts facts_;
  int64_t origin_ = 0;  // run time of the replay's time 0
  int64_t start_ = 0, end_ = 0, interval_ = 0, next_ = 0, last_taken_ = 0;
  bool baseline_due_ = false;      // the window starts after the replay does
  std::optional<Tally> baseline_;  // totals at the window's start, left out of snapshots
  bool end_taken_ = false;
  std::vector<nlohmann::json> taken_;
};

}  // namespace strest
