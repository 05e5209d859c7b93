#include "capacity/capacity_json.h"

#include <cmath>

namespace strest {
namespace {

// µs to ms to the µs; null when there were no samples.
nlohmann::json ms(double us) {
  if (std::isnan(us)) return nullptr;
  return std::round(us) / 1e3;
}

// A fraction as percent with six decimals.
double percent(double fraction) { return std::round(fraction * 1e8) / 1e6; }

nlohmann::json step_json(const CapacityStep& step, size_t number) {
  return {
      {"step", number},
      {"phase", phase_name(step.phase)},
      {"offered_rps", step.offered_rps},
      {"achieved_rps", step.achieved_rps},
      {"measured_seconds", step.measured_seconds},
      {"requests_due", step.due},
      {"requests_sent", step.sent},
      {"requests", step.completed},
      {"errors", step.errors},
      {"error_rate_percent", percent(step.error_rate)},
      {"latency_ms", {{"p50", ms(step.p50_us)}, {"p99", ms(step.p99_us)}}},
      {"service_ms", {{"p50", ms(step.service_p50_us)}, {"p99", ms(step.service_p99_us)}}},
      {"start_lag_ms",
       {{"mean", ms(step.lag_mean_us)}, {"max", ms(static_cast<double>(step.lag_max_us))}}},
      {"late_starts", step.late_starts},
      {"passed", step.passed()},
      {"thresholds", threshold_json(step.thresholds)},
      {"degradation",
       step.degradation.empty() ? nlohmann::json(nullptr) : nlohmann::json(step.degradation)},
  };
}

nlohmann::json settings_json(const CapacitySettings& settings) {
  return {
      {"min_rate", settings.min_rate},
      {"max_rate", settings.max_rate},
      {"precision_percent", percent(settings.precision)},
      {"ramp_factor", settings.ramp_factor},
      {"step_duration_seconds", static_cast<double>(settings.step_duration.count()) / 1e6},
      {"step_warmup_seconds", static_cast<double>(settings.step_warmup.count()) / 1e6},
  };
}

nlohmann::json first_failing_json(const CapacityResult& result) {
  if (!result.first_failing) return nullptr;
  const CapacityStep& step = result.steps[*result.first_failing];
  return {
      {"rate_rps", step.offered_rps},
      {"step", *result.first_failing + 1},
      {"broken", threshold_json(broken_slos(step))},
      {"degradation",
       step.degradation.empty() ? nlohmann::json(nullptr) : nlohmann::json(step.degradation)},
  };
}

}  // namespace

nlohmann::json capacity_json(const CapacityResult& result) {
  nlohmann::json steps = nlohmann::json::array();
  for (size_t i = 0; i < result.steps.size(); ++i)
    steps.push_back(step_json(result.steps[i], i + 1));
  nlohmann::json knee = nullptr;
  if (result.knee) knee = result.steps[*result.knee].offered_rps;
  return {
      {"target", result.target},
      {"slos", result.slos},
      {"settings", settings_json(result.settings)},
      {"outcome", outcome_name(result.outcome)},
      {"knee_rps", knee},
      {"first_failing", first_failing_json(result)},
      {"steps", steps},
  };
}

std::string capacity_json_text(const CapacityResult& result) {
  return capacity_json(result).dump(2) + "\n";
}

}  // namespace strest
