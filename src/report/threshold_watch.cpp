#include "report/threshold_watch.h"

#include <algorithm>

#include "engine/stop_signal.h"

namespace strest {

ThresholdWatch::ThresholdWatch(const Plan& plan) : plan_(plan) {}

void ThresholdWatch::on_snapshot(const Snapshot& snapshot) {
  if (failure_ || !plan_.abort_on_fail || plan_.thresholds.empty()) return;
  const int64_t start_judging = std::max(plan_.abort_delay.count(), plan_.warmup.count());
  if (snapshot.elapsed_us < start_judging) return;
  const double measured = static_cast<double>(snapshot.elapsed_us - plan_.warmup.count()) / 1e6;
  failure_ = first_failure(plan_.thresholds, *snapshot.totals, measured);
  if (failure_) request_stop(kStopForThreshold);
}

}  // namespace strest
