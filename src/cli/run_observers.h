#pragma once
// The Snapshot observers every run gets, live or replayed, built in one place so both see the
// same results the same way: sink files, the progress line (when stderr is a terminal), and
// the threshold watch that stops the run under --abort-on-fail. A live dashboard, when there is
// one, takes the progress line's place.
#include <cstdint>
#include <optional>
#include <vector>

#include "metrics/snapshot.h"
#include "plan/plan.h"
#include "report/threshold_watch.h"
#include "sinks/sink_set.h"
#include "ui/progress_line.h"

namespace strest {

// The run's planned length for the progress line: its duration (default 10 s), unknown when
// only a request count bounds it.
std::optional<int64_t> planned_duration_us(const Plan& plan);

class RunObservers {
 public:
  // `planned_us`: the run's length when known, for the progress line. `dashboard`: the live
  // dashboard's observer, owned by the caller, or nullptr.
  RunObservers(const Plan& plan, std::optional<int64_t> planned_us,
               SnapshotObserver* dashboard = nullptr);
  RunObservers(const RunObservers&) = delete;
  RunObservers& operator=(const RunObservers&) = delete;

  const std::vector<SnapshotObserver*>& list() const { return list_; }
  // True when --abort-on-fail stopped the run at a failed threshold.
  bool threshold_aborted() const { return threshold_watch_.failure().has_value(); }

 private:
  SinkSet sinks_;
  ProgressLine progress_;
  ThresholdWatch threshold_watch_;
  std::vector<SnapshotObserver*> list_;
};

}  // namespace strest
