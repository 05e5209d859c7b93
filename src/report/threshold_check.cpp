#include "report/threshold_check.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include "text/ansi_color.h"

namespace strest {
namespace {

using M = ThresholdMetric;

constexpr double kNoSamples = std::numeric_limits<double>::quiet_NaN();
constexpr double kLargestExactCount = 9'007'199'254'740'992.0;  // 2^53

// The latency metrics are eight statistics, first of all requests, then of ok ones, in the
// same order: p50, p90, p95, p99, p999, avg, min, max.
constexpr int kLatencyStats = 8;
static_assert(static_cast<int>(M::kP50Ok) - static_cast<int>(M::kP50) == kLatencyStats);
static_assert(static_cast<int>(M::kMaxOk) - static_cast<int>(M::kMax) == kLatencyStats);
constexpr std::array<double, 5> kPercentiles = {50, 90, 95, 99, 99.9};

double ratio(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

double latency_value(ThresholdMetric metric, const Tally& totals) {
  const int index = static_cast<int>(metric) - static_cast<int>(M::kP50);
  const HdrHistogram& latency = index < kLatencyStats ? totals.latency_all : totals.latency_ok;
  if (latency.total_count() == 0) return kNoSamples;
  const int stat = index % kLatencyStats;
  if (stat < static_cast<int>(kPercentiles.size())) {
    return static_cast<double>(latency.value_at_percentile(kPercentiles[stat]));
  }
  if (metric == M::kAvg || metric == M::kAvgOk) return latency.mean();
  if (metric == M::kMin || metric == M::kMinOk) return static_cast<double>(latency.min());
  return static_cast<double>(latency.max());
}

uint64_t count_value(ThresholdMetric metric, const Tally& totals) {
  switch (metric) {
    case M::kSuccessfulRequests:
      return totals.ok;
    case M::kErrors:
      return totals.errors();
    case M::kTimeouts:
      return totals.timeouts;
    case M::kTransportErrors:
      return totals.transport_errors;
    case M::kNonExpectedStatus:
      return totals.non_expected_status;
    default:
      return totals.completed();
  }
}

double rate_value(ThresholdMetric metric, const Tally& totals) {
  const uint64_t completed = totals.completed();
  if (metric == M::kErrorRate) return ratio(totals.errors(), completed);
  if (metric == M::kSuccessRate) return ratio(totals.ok, completed);
  return ratio(totals.timeouts, completed);
}

double actual_value(ThresholdMetric metric, const Tally& totals, double measured_seconds) {
  switch (threshold_kind(metric)) {
    case ThresholdKind::kLatency:
      return latency_value(metric, totals);
    case ThresholdKind::kRate:
      return rate_value(metric, totals);
    case ThresholdKind::kRps:
      return measured_seconds > 0 ? static_cast<double>(totals.completed()) / measured_seconds
                                  : 0.0;
    case ThresholdKind::kCount:
      break;
  }
  return static_cast<double>(count_value(metric, totals));
}

// NaN (no samples) satisfies no operator, "!=" included.
bool holds(double actual, ThresholdOp op, double limit) {
  if (std::isnan(actual)) return false;
  switch (op) {
    case ThresholdOp::kLess:
      return actual < limit;
    case ThresholdOp::kLessEqual:
      return actual <= limit;
    case ThresholdOp::kGreater:
      return actual > limit;
    case ThresholdOp::kGreaterEqual:
      return actual >= limit;
    case ThresholdOp::kEqual:
      return actual == limit;
    case ThresholdOp::kNotEqual:
      return actual != limit;
  }
  return false;
}

ThresholdResult evaluate(const Threshold& threshold, const Tally& totals, double seconds) {
  const double actual = actual_value(threshold.metric, totals, seconds);
  return {threshold, actual, holds(actual, threshold.op, threshold.value)};
}

// Counts only grow, so a failing count threshold is final only when growth cannot fix it.
bool count_failure_is_final(const ThresholdResult& result) {
  switch (result.threshold.op) {
    case ThresholdOp::kLess:
    case ThresholdOp::kLessEqual:
      return true;
    case ThresholdOp::kEqual:
      return result.actual > result.threshold.value;
    default:
      return false;
  }
}

bool failure_is_final(const ThresholdResult& result, const Tally& totals) {
  if (result.passed || std::isnan(result.actual)) return false;
  switch (threshold_kind(result.threshold.metric)) {
    case ThresholdKind::kRate:
    case ThresholdKind::kRps:
      return totals.completed() > 0;
    case ThresholdKind::kCount:
      return count_failure_is_final(result);
    case ThresholdKind::kLatency:
      break;
  }
  return true;
}

// Columns on a terminal: UTF-8 continuation bytes take none ("µs").
size_t columns(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// "(p99 = 12.3ms)", or "(p99 = n/a: no latency samples)".
std::string actual_note(const ThresholdResult& result) {
  const ThresholdMetric metric = result.threshold.metric;
  std::string note = "(" + std::string(threshold_metric_name(metric)) + " = " +
                     format_threshold_value(metric, result.actual);
  if (std::isnan(result.actual)) note += ": no latency samples";
  return note + ")";
}

// A value in the units the user reads: ms (to the µs) for latency, percent for rates.
nlohmann::json user_units(ThresholdMetric metric, double value) {
  if (std::isnan(value)) return nullptr;
  switch (threshold_kind(metric)) {
    case ThresholdKind::kLatency:
      return std::round(value) / 1e3;
    case ThresholdKind::kRate:
      return std::round(value * 1e8) / 1e6;  // percent, six decimals
    case ThresholdKind::kRps:
      return value;
    case ThresholdKind::kCount:
      break;
  }
  // Whole counts print as integers; a limit too large for one stays a double.
  if (value <= kLargestExactCount) return static_cast<uint64_t>(value);
  return value;
}

std::string_view unit_name(ThresholdMetric metric) {
  switch (threshold_kind(metric)) {
    case ThresholdKind::kLatency:
      return "ms";
    case ThresholdKind::kRate:
      return "%";
    case ThresholdKind::kRps:
      return "req/s";
    case ThresholdKind::kCount:
      break;
  }
  return "count";
}

}  // namespace

std::vector<ThresholdResult> evaluate_thresholds(const std::vector<Threshold>& thresholds,
                                                 const Tally& totals, double measured_seconds) {
  std::vector<ThresholdResult> results;
  results.reserve(thresholds.size());
  for (const Threshold& threshold : thresholds) {
    results.push_back(evaluate(threshold, totals, measured_seconds));
  }
  return results;
}

std::vector<ThresholdResult> judge_run(const RunResult& result, const Plan& plan) {
  return evaluate_thresholds(plan.thresholds, result.totals, measured_seconds(result));
}

bool all_passed(const std::vector<ThresholdResult>& results) {
  return std::all_of(results.begin(), results.end(),
                     [](const ThresholdResult& result) { return result.passed; });
}

void write_threshold_text(const std::vector<ThresholdResult>& results, std::ostream& out,
                          bool color) {
  if (results.empty()) return;
  size_t width = 0;
  for (const ThresholdResult& result : results) {
    width = std::max(width, columns(result.threshold.expression));
  }
  out << '\n' << paint("Thresholds", kSgrBold, color) << '\n';
  for (const ThresholdResult& result : results) {
    const std::string& expression = result.threshold.expression;
    out << "  " << (result.passed ? paint("PASS", kSgrGreen, color) : paint("FAIL", kSgrRed, color))
        << "  " << expression << std::string(width - columns(expression) + 3, ' ')
        << actual_note(result) << '\n';
  }
}

nlohmann::json threshold_json(const std::vector<ThresholdResult>& results) {
  nlohmann::json array = nlohmann::json::array();
  for (const ThresholdResult& result : results) {
    const ThresholdMetric metric = result.threshold.metric;
    array.push_back({{"expression", result.threshold.expression},
                     {"metric", threshold_metric_name(metric)},
                     {"passed", result.passed},
                     {"actual", user_units(metric, result.actual)},
                     {"limit", user_units(metric, result.threshold.value)},
                     {"unit", unit_name(metric)}});
  }
  return array;
}

std::optional<ThresholdResult> first_failure(const std::vector<Threshold>& thresholds,
                                             const Tally& totals, double measured_seconds) {
  for (const Threshold& threshold : thresholds) {
    ThresholdResult result = evaluate(threshold, totals, measured_seconds);
    if (failure_is_final(result, totals)) return result;
  }
  return std::nullopt;
}

}  // namespace strest
