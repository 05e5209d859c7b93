#include "compare/delta_gate.h"

#include <cmath>
#include <optional>

#include "plan/one_line.h"
#include "text/ascii.h"

namespace strest {

namespace {

using M = CompareMetric;

constexpr std::string_view kGateList =
    "use p50_delta, p90_delta, p99_delta, avg_delta, rps_delta or error_rate_delta";

struct GateName {
  std::string_view name;
  CompareMetric metric;
};

constexpr GateName kGateNames[] = {
    {"rps_delta", M::kRps}, {"error_rate_delta", M::kErrorRate},
    {"avg_delta", M::kAvg}, {"p50_delta", M::kP50},
    {"p90_delta", M::kP90}, {"p99_delta", M::kP99},
};

std::optional<CompareMetric> find_gate_metric(std::string_view name) {
  for (const GateName& entry : kGateNames) {
    if (same_name(name, entry.name)) return entry.metric;
  }
  return std::nullopt;
}

bool is_latency(CompareMetric metric) { return metric != M::kRps && metric != M::kErrorRate; }

struct Limit {
  GateUnit unit;
  double value;
};

Result<Limit> limit_in(GateUnit unit, const Result<double>& value) {
  if (!value) return Error{value.error()};
  return Limit{unit, *value};
}

// The limit in the unit its suffix names: % is relative for latency and RPS and absolute points
// for the error rate; a time is absolute latency; a plain number is absolute RPS.
Result<Limit> read_limit(std::string_view expression, CompareMetric metric,
                         const ValueText& value) {
  if (metric == M::kErrorRate)
    return limit_in(GateUnit::kPoints, threshold_rate(expression, value));
  if (value.suffix == "%") {
    const auto fraction = scaled_decimal(value.number, -2);
    if (!fraction) return threshold_error(expression, "value out of range");
    return Limit{GateUnit::kRelative, *fraction};
  }
  if (is_latency(metric)) {
    return limit_in(GateUnit::kMicros, threshold_latency_us(expression, value));
  }
  if (!value.suffix.empty()) {
    return threshold_error(expression,
                           "rps_delta takes a percent or requests per second, e.g. rps_delta<5% "
                           "or rps_delta<200");
  }
  const auto per_second = scaled_decimal(value.number, 0);
  if (!per_second) return threshold_error(expression, "value out of range");
  return Limit{GateUnit::kPerSecond, *per_second};
}

}  // namespace

Result<DeltaGate> parse_delta_gate(std::string_view expression) {
  const auto parts = split_threshold(expression, kGateList);
  if (!parts) return Error{parts.error()};
  const auto metric = find_gate_metric(parts->name);
  if (!metric) {
    return threshold_error(parts->text, "unknown delta metric '" + one_line(parts->name) + "' (" +
                                            std::string(kGateList) +
                                            "; run thresholds such as p99<200ms belong to a run)");
  }
  if (parts->op != ThresholdOp::kLess && parts->op != ThresholdOp::kLessEqual) {
    return threshold_error(parts->text,
                           "a delta gate bounds how much worse B may be than A: use < or <=");
  }
  if (parts->value.empty()) return threshold_error(parts->text, "missing value after the operator");
  if (parts->value.front() == '-') {
    return threshold_error(parts->text,
                           "value must not be negative: a gate bounds the worsening (an "
                           "improvement always passes)");
  }
  const auto value = split_threshold_value(parts->value);
  if (!value) {
    return threshold_error(parts->text,
                           "invalid value '" + one_line(parts->value) + "': expected a number");
  }
  const auto limit = read_limit(parts->text, *metric, *value);
  if (!limit) return Error{limit.error()};
  return DeltaGate{std::string(parts->text), *metric, parts->op, limit->unit, limit->value};
}

double gate_worsening(const DeltaGate& gate, double a, double b) {
  const double worse = gate.metric == M::kRps ? a - b : b - a;
  if (gate.unit != GateUnit::kRelative) return worse;
  if (a == 0) return std::nan("");
  return worse / a;
}

bool gate_holds(const DeltaGate& gate, double worsening) {
  if (std::isnan(worsening)) return true;
  return gate.op == ThresholdOp::kLess ? worsening < gate.limit : worsening <= gate.limit;
}

std::string delta_gate_name(CompareMetric metric) {
  for (const GateName& entry : kGateNames) {
    if (entry.metric == metric) return std::string(entry.name);
  }
  return "unknown";
}

}  // namespace strest
