#include "capacity/step_judge.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/threshold_check.h"

namespace strest {
namespace {

constexpr double kNoSamples = std::numeric_limits<double>::quiet_NaN();

double percentile_of(const HdrHistogram& histogram, double percentile) {
  if (histogram.total_count() == 0) return kNoSamples;
  return static_cast<double>(histogram.value_at_percentile(percentile));
}

bool judges_errors(ThresholdMetric metric) {
  switch (metric) {
    case ThresholdMetric::kErrorRate:
    case ThresholdMetric::kSuccessRate:
    case ThresholdMetric::kTimeoutRate:
    case ThresholdMetric::kSuccessfulRequests:
    case ThresholdMetric::kErrors:
    case ThresholdMetric::kTimeouts:
    case ThresholdMetric::kTransportErrors:
    case ThresholdMetric::kNonExpectedStatus:
      return true;
    default:
      return false;
  }
}

// "12.5%" of a fraction, as the threshold messages write rates.
std::string percent(double fraction) {
  return format_threshold_value(ThresholdMetric::kErrorRate, fraction);
}

}  // namespace

std::string degradation_of(const CapacityStep& step, const std::vector<Threshold>& slos,
                           const DegradationLimits& limits) {
  if (step.due >= 1 && static_cast<double>(step.sent) < limits.min_sent_share * step.due) {
    return "fell behind the schedule: " + std::to_string(step.sent) + " of " +
           std::to_string(std::llround(step.due)) + " requests due were sent (" +
           percent(static_cast<double>(step.sent) / step.due) + "), start lag up to " +
           format_threshold_value(ThresholdMetric::kMax, static_cast<double>(step.lag_max_us));
  }
  const bool errors_judged = std::any_of(
      slos.begin(), slos.end(), [](const Threshold& slo) { return judges_errors(slo.metric); });
  if (!errors_judged && step.completed > 0 && step.error_rate >= limits.max_error_rate) {
    return "errors climbed to " + percent(step.error_rate) +
           " of responses (no SLO judges "
           "errors; the limit is " +
           percent(limits.max_error_rate) + ")";
  }
  return "";
}

CapacityStep judge_step(const RunResult& run, const Plan& plan, const DegradationLimits& limits) {
  const Tally& totals = run.totals;
  CapacityStep step;
  step.offered_rps = plan.load ? plan.load->start_rps : 0;
  step.measured_seconds = measured_seconds(run);
  step.achieved_rps = step.measured_seconds > 0
                          ? static_cast<double>(totals.completed()) / step.measured_seconds
                          : 0;
  step.due = run.scheduled_requests;
  step.sent = totals.scheduled_starts;
  step.completed = totals.completed();
  step.errors = totals.errors();
  step.error_rate = step.completed == 0
                        ? 0
                        : static_cast<double>(step.errors) / static_cast<double>(step.completed);
  step.p50_us = percentile_of(totals.latency_all, 50);
  step.p99_us = percentile_of(totals.latency_all, 99);
  step.service_p50_us = percentile_of(totals.service_all, 50);
  step.service_p99_us = percentile_of(totals.service_all, 99);
  step.lag_mean_us =
      totals.scheduled_starts == 0
          ? 0
          : static_cast<double>(totals.lag_sum_us) / static_cast<double>(totals.scheduled_starts);
  step.lag_max_us = totals.lag_max_us;
  step.late_starts = totals.late_starts;
  step.thresholds = judge_run(run, plan);
  step.degradation = degradation_of(step, plan.thresholds, limits);
  return step;
}

}  // namespace strest
