#include "compare/comparison_text.h"

#include <cmath>
#include <cstdio>

#include "plan/threshold.h"

namespace strest {

namespace {

constexpr int kMetricWidth = 12;
constexpr int kValueWidth = 13;
constexpr int kIntervalWidth = 26;

std::string pad(std::string text, int width) {
  if (static_cast<int>(text.size()) < width) text.append(width - text.size(), ' ');
  return text + ' ';
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string percent_text(double fraction) {
  if (std::isnan(fraction)) return "n/a";
  return (fraction >= 0 ? "+" : "") + fixed(fraction * 100.0, 1) + "%";
}

std::string interval_text(CompareMetric metric, const DeltaInterval& interval) {
  if (std::isnan(interval.low)) return "n/a";
  return "[" + format_metric_value(metric, interval.low, true) + ", " +
         format_metric_value(metric, interval.high, true) + "]";
}

std::string run_line(const char* label, const RunOverview& run) {
  return std::string("  ") + label + ": " + run.source + "\n     " + std::to_string(run.requests) +
         " requests, " + std::to_string(run.errors) + " errors over " + fixed(run.window_s, 2) +
         " s (" + std::to_string(run.blocks) + " blocks of " +
         format_threshold_value(ThresholdMetric::kP99, static_cast<double>(run.block_us)) + ")" +
         (run.open_loop ? ", open loop" : "") + "\n";
}

void write_rows(const ComparisonResult& result, std::ostream& out) {
  const std::string level = fixed(result.bootstrap.confidence * 100.0, 0) + "% CI of delta";
  out << pad("metric", kMetricWidth) << pad("A", kValueWidth) << pad("B", kValueWidth)
      << pad("delta", kValueWidth) << pad("delta %", 9) << pad(level, kIntervalWidth)
      << "verdict\n";
  for (const MetricComparison& row : result.metrics) {
    out << pad(std::string(compare_metric_name(row.metric)), kMetricWidth)
        << pad(format_metric_value(row.metric, row.a), kValueWidth)
        << pad(format_metric_value(row.metric, row.b), kValueWidth)
        << pad(format_metric_value(row.metric, row.delta, true), kValueWidth)
        << pad(percent_text(row.delta_relative), 9)
        << pad(interval_text(row.metric, row.interval), kIntervalWidth) << verdict_name(row.verdict)
        << '\n';
  }
}

std::string worsening_text(const GateOutcome& outcome) {
  const double worse = outcome.worsening;
  switch (outcome.gate.unit) {
    case GateUnit::kRelative:
      return percent_text(worse);
    case GateUnit::kMicros:
      return format_metric_value(CompareMetric::kP99, worse, true);
    case GateUnit::kPoints:
      return format_metric_value(CompareMetric::kErrorRate, worse, true);
    case GateUnit::kPerSecond:
      return format_metric_value(CompareMetric::kRps, worse, true);
  }
  return "n/a";
}

void write_gates(const ComparisonResult& result, std::ostream& out) {
  if (result.gates.empty()) return;
  out << "\ngates (worse by, B against A):\n";
  for (const GateOutcome& outcome : result.gates) {
    out << "  " << pad(outcome.gate.expression, 24) << pad(worsening_text(outcome), 10);
    if (outcome.failed) {
      out << "FAILED: past the limit and a significant regression\n";
    } else if (outcome.past_limit) {
      out << "passed: past the limit, but not a significant regression\n";
    } else {
      out << "passed\n";
    }
  }
}

// The last line: which metrics regressed and what that means for the exit code.
std::string outcome_text(const ComparisonResult& result) {
  std::string regressed;
  for (const MetricComparison& row : result.metrics) {
    if (row.verdict != Verdict::kRegression) continue;
    regressed += (regressed.empty() ? "" : ", ") + std::string(compare_metric_name(row.metric));
  }
  if (regressed.empty()) return "no significant regression";
  const std::string found = "significant regression in " + regressed;
  if (result.gate_failed()) return found + "; a gate failed (exit 3)";
  if (result.gates.empty()) return found + " (no --threshold gate given)";
  return found + ", within every gate";
}

}  // namespace

std::string format_metric_value(CompareMetric metric, double value, bool sign) {
  if (std::isnan(value)) return "n/a";
  const std::string prefix = !sign ? "" : value < 0 ? "-" : "+";
  const double shown = sign ? std::fabs(value) : value;
  switch (metric) {
    case CompareMetric::kRps:
      return prefix + fixed(shown, 2);
    case CompareMetric::kErrorRate:
      return prefix + format_threshold_value(ThresholdMetric::kErrorRate, shown);
    default:
      return prefix + format_threshold_value(ThresholdMetric::kP99, shown);
  }
}

void write_comparison_text(const ComparisonResult& result, std::ostream& out) {
  out << "strest compare: B against A, block bootstrap (" << result.bootstrap.replicates
      << " resamples, seed " << result.bootstrap.seed << "), noise "
      << fixed(result.noise * 100.0, 1) << "%\n"
      << run_line("A", result.a) << run_line("B", result.b) << '\n';
  write_rows(result, out);
  write_gates(result, out);
  out << "\nresult: " << outcome_text(result) << '\n';
}

}  // namespace strest
