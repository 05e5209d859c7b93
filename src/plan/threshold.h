#pragma once
// Thresholds: pass/fail conditions on the run's results, for CI ("p99<200ms",
// "error_rate<1%", "rps>=500", "timeouts==0"). Parsed and validated with the Plan; evaluated
// by src/report/threshold_check.h at the end and, with abort_on_fail, live.
#include <optional>
#include <string>
#include <string_view>

#include "plan/result.h"

namespace strest {

enum class ThresholdMetric {
  // Latency in µs (corrected latency in open loop), all requests / ok requests.
  kP50,
  kP90,
  kP95,
  kP99,
  kP999,
  kAvg,
  kMin,
  kMax,
  kP50Ok,
  kP90Ok,
  kP95Ok,
  kP99Ok,
  kP999Ok,
  kAvgOk,
  kMinOk,
  kMaxOk,
  // Rates: fractions in [0, 1] (written as percent or fraction).
  kErrorRate,
  kSuccessRate,
  kTimeoutRate,
  // Throughput, requests per second over the measured window.
  kRps,
  // Counts.
  kTotalRequests,
  kSuccessfulRequests,
  kErrors,
  kTimeouts,
  kTransportErrors,
  kNonExpectedStatus,
};

enum class ThresholdOp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

struct Threshold {
  std::string expression;  // as the user wrote it, for reports
  ThresholdMetric metric = ThresholdMetric::kP99;
  ThresholdOp op = ThresholdOp::kLess;
  double value = 0;  // µs for latency metrics, fraction for rates, plain number otherwise
};

// Parses "metric op value" (spaces allowed around the operator). The error names the part that
// is wrong and lists the valid metrics or units.
Result<Threshold> parse_threshold(std::string_view expression);

// The pieces the threshold parser is made of, for parsers of other metric sets (the delta gates
// of `strest compare`, compare/delta_gate.h); their errors read like parse_threshold's.

// "metric op value" with spaces trimmed around each part; the operator is known, the metric and
// the value are left to the caller. Errors list `metric_list` when the metric is missing.
struct ThresholdParts {
  std::string_view text;  // the whole expression, trimmed
  std::string_view name;
  ThresholdOp op = ThresholdOp::kLess;
  std::string_view value;
};
Result<ThresholdParts> split_threshold(std::string_view expression, std::string_view metric_list);

// "threshold 'EXPRESSION': WHAT", the form of every threshold error.
Error threshold_error(std::string_view expression, const std::string& what);

// A value split into its decimal number ("1.5") and what follows it ("ms"), spaces trimmed;
// nullopt when it does not start with a decimal number.
struct ValueText {
  std::string_view number;
  std::string_view suffix;
};
std::optional<ValueText> split_threshold_value(std::string_view value);

// number * 10^exponent, rounded once from the exact decimal, so that "1.1" % equals 11/1000.
// Nullopt when out of range.
std::optional<double> scaled_decimal(std::string_view number, int exponent);

// A latency ("850us", "200ms", "1.5s") in whole µs, and a rate ("1%" or "0.01") as a fraction in
// [0, 1]; the errors name `expression` and the units to use.
Result<double> threshold_latency_us(std::string_view expression, const ValueText& value);
Result<double> threshold_rate(std::string_view expression, const ValueText& value);

// What a metric measures, which decides its unit: µs, fraction, requests/s or a count.
enum class ThresholdKind { kLatency, kRate, kRps, kCount };
ThresholdKind threshold_kind(ThresholdMetric metric);

// The metric's canonical name as users write it ("p99", "p999_ok", "error_rate").
std::string_view threshold_metric_name(ThresholdMetric metric);

// The operator as written ("<", "<=", ...).
std::string_view threshold_op_text(ThresholdOp op);

// A metric's value in the user's units, readable back by parse_threshold: latency "850us",
// "200ms", "1.5s" (rounded to whole µs); rates "1%", "0.5%"; rps "512.25"; counts "500";
// "n/a" for NaN (no samples).
std::string format_threshold_value(ThresholdMetric metric, double value);

}  // namespace strest
