#include "compare/comparison_json.h"

#include <cmath>

namespace strest {

namespace {

using nlohmann::json;

// A number, or null for NaN (JSON has no NaN).
json number(double value) { return std::isnan(value) ? json(nullptr) : json(value); }

json run_json(const RunOverview& run) {
  return {{"source", run.source},
          {"requests", run.requests},
          {"errors", run.errors},
          {"responses", run.responses},
          {"window_s", run.window_s},
          {"blocks", run.blocks},
          {"block_ms", run.block_us / 1000.0},
          {"open_loop", run.open_loop}};
}

// The metric's unit, as the JSON names it.
const char* unit_of(CompareMetric metric) {
  switch (metric) {
    case CompareMetric::kRps:
      return "per_second";
    case CompareMetric::kErrorRate:
      return "fraction";
    default:
      return "us";
  }
}

json metric_json(const MetricComparison& row) {
  return {
      {"metric", compare_metric_name(row.metric)},
      {"unit", unit_of(row.metric)},
      {"a", number(row.a)},
      {"b", number(row.b)},
      {"delta", number(row.delta)},
      {"delta_relative", number(row.delta_relative)},
      {"ci_low", number(row.interval.low)},
      {"ci_high", number(row.interval.high)},
      {"significant", row.verdict == Verdict::kRegression || row.verdict == Verdict::kImprovement},
      {"verdict", verdict_name(row.verdict)}};
}

const char* gate_unit_name(GateUnit unit) {
  switch (unit) {
    case GateUnit::kRelative:
      return "relative";
    case GateUnit::kMicros:
      return "us";
    case GateUnit::kPoints:
      return "fraction";
    case GateUnit::kPerSecond:
      return "per_second";
  }
  return "unknown";
}

json gate_json(const GateOutcome& outcome) {
  return {{"gate", outcome.gate.expression},
          {"metric", compare_metric_name(outcome.gate.metric)},
          {"unit", gate_unit_name(outcome.gate.unit)},
          {"limit", outcome.gate.limit},
          {"worsening", number(outcome.worsening)},
          {"past_limit", outcome.past_limit},
          {"failed", outcome.failed}};
}

}  // namespace

json comparison_json(const ComparisonResult& result) {
  json metrics = json::array();
  for (const MetricComparison& row : result.metrics) metrics.push_back(metric_json(row));
  json gates = json::array();
  for (const GateOutcome& outcome : result.gates) gates.push_back(gate_json(outcome));
  return {{"a", run_json(result.a)},
          {"b", run_json(result.b)},
          {"method", "block bootstrap"},
          {"confidence", result.bootstrap.confidence},
          {"replicates", result.bootstrap.replicates},
          {"seed", result.bootstrap.seed},
          {"noise", result.noise},
          {"metrics", metrics},
          {"gates", gates},
          {"regression", result.has_regression()},
          {"gate_failed", result.gate_failed()}};
}

}  // namespace strest
