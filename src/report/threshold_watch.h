#pragma once
// ThresholdWatch: the live half of abort_on_fail. It judges the running totals at every
// Snapshot once abort_delay has passed (and the warmup is over), and stops the run at the first
// failure that more data could no longer undo.
#include <atomic>
#include <optional>

#include "metrics/snapshot.h"
#include "plan/plan.h"
#include "report/threshold_check.h"

namespace strest {

class ThresholdWatch : public SnapshotObserver {
 public:
  explicit ThresholdWatch(const Plan& plan);

  void on_snapshot(const Snapshot& snapshot) override;

  // The failure that stopped the run, if one did.
  const std::optional<ThresholdResult>& failure() const { return failure_; }

 private:
  const Plan& plan_;
  std::optional<ThresholdResult> failure_;
};

}  // namespace strest
