#include "cli/run_observers.h"

namespace strest {

std::optional<int64_t> planned_duration_us(const Plan& plan) {
  if (plan.duration) return plan.duration->count();
  if (plan.max_requests) return std::nullopt;
  return kDefaultDuration.count();
}

RunObservers::RunObservers(const Plan& plan, std::optional<int64_t> planned_us,
                           SnapshotObserver* dashboard)
    : sinks_(plan), progress_(planned_us), threshold_watch_(plan) {
  list_.push_back(&sinks_);
  if (dashboard != nullptr) {
    list_.push_back(dashboard);
  } else if (ProgressLine::wanted()) {
    list_.push_back(&progress_);
  }
  if (plan.abort_on_fail) list_.push_back(&threshold_watch_);
}

}  // namespace strest
