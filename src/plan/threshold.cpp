#include "plan/threshold.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "plan/one_line.h"
#include "text/ascii.h"

namespace strest {
namespace {

using M = ThresholdMetric;

constexpr std::string_view kBlank = " \t";
constexpr std::string_view kOpChars = "<>=!";
constexpr std::string_view kMetricList =
    "use p50, p90, p95, p99, p999, avg, min, max, optionally with _ok; error_rate, success_rate, "
    "timeout_rate, rps, total_requests, successful_requests, errors, timeouts, transport_errors, "
    "non_expected_status";
constexpr std::string_view kOpList = "use <, <=, >, >=, ==, !=";

struct MetricName {
  std::string_view name;
  ThresholdMetric metric;
};

// Canonical names first, in enum order; aliases after them.
constexpr MetricName kMetricNames[] = {
    {"p50", M::kP50},
    {"p90", M::kP90},
    {"p95", M::kP95},
    {"p99", M::kP99},
    {"p999", M::kP999},
    {"avg", M::kAvg},
    {"min", M::kMin},
    {"max", M::kMax},
    {"p50_ok", M::kP50Ok},
    {"p90_ok", M::kP90Ok},
    {"p95_ok", M::kP95Ok},
    {"p99_ok", M::kP99Ok},
    {"p999_ok", M::kP999Ok},
    {"avg_ok", M::kAvgOk},
    {"min_ok", M::kMinOk},
    {"max_ok", M::kMaxOk},
    {"error_rate", M::kErrorRate},
    {"success_rate", M::kSuccessRate},
    {"timeout_rate", M::kTimeoutRate},
    {"rps", M::kRps},
    {"total_requests", M::kTotalRequests},
    {"successful_requests", M::kSuccessfulRequests},
    {"errors", M::kErrors},
    {"timeouts", M::kTimeouts},
    {"transport_errors", M::kTransportErrors},
    {"non_expected_status", M::kNonExpectedStatus},
    {"p99.9", M::kP999},
    {"p99.9_ok", M::kP999Ok},
    {"requests", M::kTotalRequests},
};

struct OpName {
  std::string_view text;
  ThresholdOp op;
};

constexpr OpName kOps[] = {
    {"<", ThresholdOp::kLess},    {"<=", ThresholdOp::kLessEqual},
    {">", ThresholdOp::kGreater}, {">=", ThresholdOp::kGreaterEqual},
    {"==", ThresholdOp::kEqual},  {"!=", ThresholdOp::kNotEqual},
};

// Latency units and the power of ten that turns them into µs.
struct LatencyUnit {
  std::string_view suffix;
  int exponent;
};

// "µs" with the micro sign (U+00B5) and with the Greek mu (U+03BC) that some keyboards type.
constexpr LatencyUnit kLatencyUnits[] = {{"us", 0}, {"µs", 0}, {"\u03bcs", 0}, {"ms", 3}, {"s", 6}};

std::string_view trim(std::string_view text, std::string_view blank = kBlank) {
  const auto begin = text.find_first_not_of(blank);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(blank) - begin + 1);
}

std::string quoted(std::string_view text) { return "'" + one_line(text) + "'"; }

}  // namespace

Error threshold_error(std::string_view expression, const std::string& what) {
  return Error{"threshold " + quoted(expression) + ": " + what};
}

namespace {

Error fail(std::string_view expression, const std::string& what) {
  return threshold_error(expression, what);
}

std::optional<ThresholdMetric> find_metric(std::string_view name) {
  for (const MetricName& entry : kMetricNames) {
    if (same_name(name, entry.name)) return entry.metric;
  }
  return std::nullopt;
}

std::optional<ThresholdOp> find_op(std::string_view text) {
  for (const OpName& entry : kOps) {
    if (entry.text == text) return entry.op;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ValueText> split_threshold_value(std::string_view value) {
  const auto end = std::min(value.find_first_not_of("0123456789."), value.size());
  const std::string_view number = value.substr(0, end);
  const auto dot = number.find('.');
  const bool one_dot = dot == std::string_view::npos || number.find('.', dot + 1) == number.npos;
  if (number.find_first_of("0123456789") == number.npos || !one_dot) return std::nullopt;
  return ValueText{number, trim(value.substr(end))};
}

// number * 10^exponent, rounded once from the exact decimal ("1.1" % -> "1.1e-2"), so that a
// limit equals the double a division like 11/1000 gives. Nullopt when out of range.
std::optional<double> scaled_decimal(std::string_view number, int exponent) {
  const std::string text = std::string(number) + "e" + std::to_string(exponent);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

Result<double> threshold_latency_us(std::string_view expression, const ValueText& value) {
  if (value.suffix.empty()) {
    return fail(expression, "give a unit: " + one_line(value.number) + "ms (us, ms or s)");
  }
  for (const LatencyUnit& unit : kLatencyUnits) {
    if (unit.suffix != value.suffix) continue;
    const auto micros = scaled_decimal(value.number, unit.exponent);
    if (!micros) return fail(expression, "value out of range");
    return std::round(*micros);
  }
  return fail(expression, "unknown unit " + quoted(value.suffix) + " (use us, ms or s)");
}

Result<double> threshold_rate(std::string_view expression, const ValueText& value) {
  const bool percent = value.suffix == "%";
  if (!percent && !value.suffix.empty()) {
    return fail(expression, "a rate is a percent or a fraction, e.g. 1% or 0.01");
  }
  const auto rate = scaled_decimal(value.number, percent ? -2 : 0);
  if (!rate) return fail(expression, "value out of range");
  if (*rate <= 1.0) return *rate;
  const std::string number = one_line(value.number);
  if (percent) return fail(expression, number + "% is above 100%");
  return fail(expression,
              number + " is not a fraction from 0 to 1; write " + number + "% for a percent");
}

namespace {

Result<double> plain_value(std::string_view expression, ThresholdMetric metric,
                           const ValueText& value) {
  const std::string name(threshold_metric_name(metric));
  const bool count = threshold_kind(metric) == ThresholdKind::kCount;
  const std::string example = count ? name + "<=10" : name + ">=500";
  if (!value.suffix.empty()) {
    return fail(expression, name + " takes a plain number, no unit (e.g. " + example + ")");
  }
  const auto number = scaled_decimal(value.number, 0);
  if (!number) return fail(expression, "value out of range");
  if (count && *number != std::floor(*number)) {
    return fail(expression, name + " is a count: use a whole number (e.g. " + example + ")");
  }
  return *number;
}

Result<double> parse_value(std::string_view expression, ThresholdMetric metric,
                           std::string_view text) {
  if (text.empty()) return fail(expression, "missing value after the operator");
  if (text.front() == '-') return fail(expression, "value must not be negative");
  const auto value = split_threshold_value(text);
  if (!value) return fail(expression, "invalid value " + quoted(text) + ": expected a number");
  switch (threshold_kind(metric)) {
    case ThresholdKind::kLatency:
      return threshold_latency_us(expression, *value);
    case ThresholdKind::kRate:
      return threshold_rate(expression, *value);
    case ThresholdKind::kRps:
    case ThresholdKind::kCount:
      break;
  }
  return plain_value(expression, metric, *value);
}

// "1.500" -> "1.5", "2.000" -> "2".
std::string fixed_trimmed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string out(text);
  if (out.find('.') == std::string::npos) return out;
  out.erase(out.find_last_not_of('0') + 1);
  if (out.back() == '.') out.pop_back();
  return out;
}

std::string format_latency(double micros) {
  const double us = std::round(micros);
  if (us < 1e3) return fixed_trimmed(us, 0) + "us";
  if (us < 1e6) return fixed_trimmed(us / 1e3, 3) + "ms";
  return fixed_trimmed(us / 1e6, 6) + "s";
}

}  // namespace

Result<ThresholdParts> split_threshold(std::string_view expression, std::string_view metric_list) {
  const std::string_view text = trim(expression, " \t\r\n");
  if (text.empty()) return Error{"empty threshold: write METRIC OP VALUE, e.g. p99<200ms"};
  const auto op_begin = text.find_first_of(kOpChars);
  if (op_begin == std::string_view::npos) {
    return fail(text, "missing operator (" + std::string(kOpList) + ")");
  }
  const auto op_end = std::min(text.find_first_not_of(kOpChars, op_begin), text.size());
  const std::string_view name = trim(text.substr(0, op_begin));
  if (name.empty()) return fail(text, "missing metric (" + std::string(metric_list) + ")");
  const std::string_view op_text = text.substr(op_begin, op_end - op_begin);
  const auto op = find_op(op_text);
  if (!op) {
    return fail(text, "unknown operator " + quoted(op_text) + " (" + std::string(kOpList) + ")");
  }
  return ThresholdParts{text, name, *op, trim(text.substr(op_end))};
}

Result<Threshold> parse_threshold(std::string_view expression) {
  const auto parts = split_threshold(expression, kMetricList);
  if (!parts) return Error{parts.error()};
  const auto metric = find_metric(parts->name);
  if (!metric) {
    return fail(parts->text,
                "unknown metric " + quoted(parts->name) + " (" + std::string(kMetricList) + ")");
  }
  auto value = parse_value(parts->text, *metric, parts->value);
  if (!value) return Error{value.error()};
  return Threshold{std::string(parts->text), *metric, parts->op, *value};
}

ThresholdKind threshold_kind(ThresholdMetric metric) {
  if (metric <= M::kMaxOk) return ThresholdKind::kLatency;
  if (metric <= M::kTimeoutRate) return ThresholdKind::kRate;
  if (metric == M::kRps) return ThresholdKind::kRps;
  return ThresholdKind::kCount;
}

std::string_view threshold_metric_name(ThresholdMetric metric) {
  for (const MetricName& entry : kMetricNames) {
    if (entry.metric == metric) return entry.name;
  }
  return "unknown";
}

std::string_view threshold_op_text(ThresholdOp op) {
  for (const OpName& entry : kOps) {
    if (entry.op == op) return entry.text;
  }
  return "?";
}

std::string format_threshold_value(ThresholdMetric metric, double value) {
  if (std::isnan(value)) return "n/a";
  switch (threshold_kind(metric)) {
    case ThresholdKind::kLatency:
      return format_latency(value);
    case ThresholdKind::kRate:
      return fixed_trimmed(value * 100.0, 4) + "%";
    case ThresholdKind::kRps:
      return fixed_trimmed(value, 2);
    case ThresholdKind::kCount:
      break;
  }
  return fixed_trimmed(value, 0);
}

}  // namespace strest
