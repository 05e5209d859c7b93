#include "capacity/capacity_result.h"

namespace strest {

std::vector<ThresholdResult> broken_slos(const CapacityStep& step) {
  std::vector<ThresholdResult> broken;
  for (const ThresholdResult& result : step.thresholds) {
    if (!result.passed) broken.push_back(result);
  }
  return broken;
}

std::string phase_name(CapacityPhase phase) {
  return phase == CapacityPhase::kRamp ? "ramp" : "bisect";
}

std::string outcome_name(CapacityOutcome outcome) {
  switch (outcome) {
    case CapacityOutcome::kKneeFound:
      return "knee_found";
    case CapacityOutcome::kMaxRateHeld:
      return "max_rate_held";
    case CapacityOutcome::kMinRateFailed:
      return "min_rate_failed";
    case CapacityOutcome::kInterrupted:
      break;
  }
  return "interrupted";
}

}  // namespace strest
