#include "report/insight.h"

#include <cmath>
#include <cstdio>

namespace strest {

namespace {

// Thresholds. p99/p50 below 3 means the slow end stays within a small multiple of a typical
// request; past 10 users see two different services. p99/p95 and p99.9/p99 compare neighbouring
// percentiles, so smaller ratios already matter: below 1.5 the curve is smooth, past 3 a few
// requests are stuck behind something (GC pause, retransmit, lock, cold cache).
constexpr double kSpreadGood = 3.0;
constexpr double kSpreadFair = 10.0;
constexpr double kTailGood = 1.5;
constexpr double kTailFair = 3.0;
constexpr double kOutlierGood = 1.5;
constexpr double kOutlierFair = 3.0;

std::optional<double> ratio(int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

Verdict grade(double value, double good_below, double fair_below, std::string_view good,
              std::string_view fair, std::string_view poor) {
  if (value < good_below) return {VerdictLevel::kGood, good};
  if (value < fair_below) return {VerdictLevel::kFair, fair};
  return {VerdictLevel::kPoor, poor};
}

InsightLine make_line(std::string_view name, std::optional<double> value,
                      Verdict (*verdict)(double)) {
  if (!value) return {std::string(name) + " = n/a", {VerdictLevel::kUnknown, "no latency samples"}};
  // Truncated, not rounded, so that 2.97 prints as 2.9x next to "good consistency" rather
  // than as 3.0x; the epsilon keeps 1.7 (stored as 1.6999...) printing as 1.7x.
  char number[32];
  std::snprintf(number, sizeof number, "%.1fx", std::floor(*value * 10.0 + 1e-9) / 10.0);
  return {std::string(name) + " = " + number, verdict(*value)};
}

}  // namespace

LatencyInsight compute_insight(int64_t p50, int64_t p95, int64_t p99, int64_t p999) {
  return {ratio(p99, p50), ratio(p99, p95), ratio(p999, p99)};
}

LatencyInsight compute_insight(const HdrHistogram& latency) {
  return compute_insight(latency.value_at_percentile(50.0), latency.value_at_percentile(95.0),
                         latency.value_at_percentile(99.0), latency.value_at_percentile(99.9));
}

Verdict spread_verdict(double ratio) {
  return grade(ratio, kSpreadGood, kSpreadFair, "good consistency", "moderate variance",
               "high variance");
}

Verdict tail_verdict(double ratio) {
  return grade(ratio, kTailGood, kTailFair, "clean tail", "moderate tail", "heavy tail");
}

Verdict outlier_verdict(double ratio) {
  return grade(ratio, kOutlierGood, kOutlierFair, "no significant outliers", "some outliers",
               "severe outliers");
}

std::string InsightLine::text() const { return measure + " -- " + std::string(verdict.words); }

std::vector<InsightLine> insight_lines(const LatencyInsight& insight) {
  return {make_line("Latency spread p99/p50", insight.spread, spread_verdict),
          make_line("Tail ratio p99/p95", insight.tail, tail_verdict),
          make_line("Outlier ratio p99.9/p99", insight.outliers, outlier_verdict)};
}

}  // namespace strest
