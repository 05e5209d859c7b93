#include "engine/run_bounds.h"

#include <algorithm>

#include "engine/stop_signal.h"

namespace strest {

uint64_t share_of(uint64_t total, uint32_t parts, uint32_t index) {
  return total / parts + (index < total % parts ? 1 : 0);
}

int64_t deadline_of(const Plan& plan) {
  const bool run_until_count = plan.max_requests && !plan.duration;
  return run_until_count ? INT64_MAX : plan.duration.value_or(kDefaultDuration).count();
}

StopReason stop_reason_of(const Plan& plan, uint64_t completed, int stop_signal) {
  if (stop_signal == kStopForThreshold) return StopReason::kThreshold;
  if (stop_signal == kStopByUser) return StopReason::kUser;
  if (stop_signal != 0) return StopReason::kSignal;
  if (plan.max_requests && completed >= *plan.max_requests) return StopReason::kRequestCount;
  return StopReason::kDuration;
}

RunFacts facts_of(const Plan& plan, const RateSchedule* schedule, int64_t wall_us,
                  uint64_t completed, int stop_signal) {
  RunFacts facts{.target = plan.url.to_string(),
                 .wall_us = wall_us,
                 .warmup_us = plan.warmup.count(),
                 .open_loop = schedule != nullptr,
                 .stop_reason = stop_reason_of(plan, completed, stop_signal),
                 .signal = stop_signal > 0 ? stop_signal : 0};
  const int64_t warmup_us = std::min<int64_t>(plan.warmup.count(), wall_us);
  if (schedule == nullptr || wall_us - warmup_us <= 0) return facts;
  const int64_t end_us = std::min(wall_us, deadline_of(plan));
  facts.scheduled_requests =
      static_cast<double>(schedule->due_before(end_us) - schedule->due_before(warmup_us));
  if (plan.max_requests) {
    facts.scheduled_requests =
        std::min(facts.scheduled_requests, static_cast<double>(*plan.max_requests));
  }
  const int64_t scheduled_window_us = end_us - warmup_us;
  if (scheduled_window_us > 0) {
    facts.target_rps = facts.scheduled_requests * 1e6 / static_cast<double>(scheduled_window_us);
  }
  return facts;
}

}  // namespace strest
