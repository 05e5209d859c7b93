#include "compare/comparison.h"

#include <algorithm>
#include <cmath>

namespace strest {

namespace {

constexpr CompareMetric kAllMetrics[kCompareMetrics] = {
    CompareMetric::kRps, CompareMetric::kErrorRate, CompareMetric::kAvg,
    CompareMetric::kP50, CompareMetric::kP90,       CompareMetric::kP99,
};

RunOverview overview_of(const RunSample& sample) {
  RunOverview overview;
  overview.source = sample.source;
  overview.window_s = sample.window_s;
  overview.blocks = sample.blocks.size();
  overview.block_us = sample.block_us;
  overview.open_loop = sample.open_loop;
  for (const RunBlock& block : sample.blocks) {
    overview.requests += block.completed;
    overview.errors += block.errors;
    for (const BucketCount& bucket : block.latency) overview.responses += bucket.count;
  }
  return overview;
}

// Significant when the interval leaves out 0; a change from 0 (errors where A had none) is never
// noise. Worse is up for latency and errors, down for RPS.
Verdict verdict_of(CompareMetric metric, const DeltaInterval& interval, double delta_relative,
                   double noise) {
  if (std::isnan(interval.low) || std::isnan(interval.high)) return Verdict::kNotSignificant;
  const bool up = interval.low > 0;
  const bool down = interval.high < 0;
  if (!up && !down) return Verdict::kNotSignificant;
  if (!std::isnan(delta_relative) && std::abs(delta_relative) < noise) return Verdict::kWithinNoise;
  const bool worse = metric == CompareMetric::kRps ? down : up;
  return worse ? Verdict::kRegression : Verdict::kImprovement;
}

MetricComparison compare_metric(CompareMetric metric, const MetricValues& a, const MetricValues& b,
                                const DeltaInterval& interval, double noise) {
  MetricComparison row;
  row.metric = metric;
  row.a = at(a, metric);
  row.b = at(b, metric);
  row.delta = row.b - row.a;
  row.delta_relative = row.a != 0 ? row.delta / row.a : std::nan("");
  row.interval = interval;
  row.verdict = verdict_of(metric, interval, row.delta_relative, noise);
  return row;
}

GateOutcome hold_gate(const DeltaGate& gate, const MetricComparison& row) {
  GateOutcome outcome;
  outcome.gate = gate;
  outcome.worsening = gate_worsening(gate, row.a, row.b);
  outcome.past_limit = !gate_holds(gate, outcome.worsening);
  outcome.failed = outcome.past_limit && row.verdict == Verdict::kRegression;
  return outcome;
}

}  // namespace

bool ComparisonResult::has_regression() const {
  return std::any_of(metrics.begin(), metrics.end(), [](const MetricComparison& row) {
    return row.verdict == Verdict::kRegression;
  });
}

bool ComparisonResult::gate_failed() const {
  return std::any_of(gates.begin(), gates.end(),
                     [](const GateOutcome& outcome) { return outcome.failed; });
}

ComparisonResult compare_runs(const RunSample& a, const RunSample& b,
                              std::span<const DeltaGate> gates, const BootstrapOptions& options,
                              double noise) {
  ComparisonResult result;
  result.noise = noise;
  result.a = overview_of(a);
  result.b = overview_of(b);
  result.bootstrap = options;
  const MetricValues values_a = run_metrics(a);
  const MetricValues values_b = run_metrics(b);
  const auto intervals = bootstrap_delta_intervals(a, b, options);
  for (CompareMetric metric : kAllMetrics) {
    result.metrics.push_back(
        compare_metric(metric, values_a, values_b, intervals[static_cast<size_t>(metric)], noise));
  }
  for (const DeltaGate& gate : gates) {
    result.gates.push_back(hold_gate(gate, result.metrics[static_cast<size_t>(gate.metric)]));
  }
  return result;
}

std::string_view compare_metric_name(CompareMetric metric) {
  switch (metric) {
    case CompareMetric::kRps:
      return "rps";
    case CompareMetric::kErrorRate:
      return "error_rate";
    case CompareMetric::kAvg:
      return "avg";
    case CompareMetric::kP50:
      return "p50";
    case CompareMetric::kP90:
      return "p90";
    case CompareMetric::kP99:
      return "p99";
  }
  return "unknown";
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNotSignificant:
      return "not significant";
    case Verdict::kWithinNoise:
      return "within noise";
    case Verdict::kRegression:
      return "regression";
    case Verdict::kImprovement:
      return "improvement";
  }
  return "unknown";
}

}  // namespace strest
