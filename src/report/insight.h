#pragma once
// Insight: the shape of a latency distribution in three percentile ratios, each with a verdict
// in words, as vastar prints them ("Latency spread p99/p50 = 1.9x -- good consistency").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/hdr_histogram.h"

namespace strest {

// How a ratio reads: good, worth a look, or bad. kUnknown when there was nothing to divide.
enum class VerdictLevel { kGood, kFair, kPoor, kUnknown };

// A verdict level and the words the summary prints for it.
struct Verdict {
  VerdictLevel level;
  std::string_view words;
};

// The three ratios; nullopt when the denominator percentile is 0 (no samples).
struct LatencyInsight {
  std::optional<double> spread;    // p99 / p50: how far the slow end sits from a typical request
  std::optional<double> tail;      // p99 / p95: how steep the last five percent rise
  std::optional<double> outliers;  // p99.9 / p99: whether a few requests are much slower still
};

// Ratios from percentiles in any one unit.
LatencyInsight compute_insight(int64_t p50, int64_t p95, int64_t p99, int64_t p999);
// Ratios from a latency histogram's p50, p95, p99 and p99.9.
LatencyInsight compute_insight(const HdrHistogram& latency);

// Verdicts; each threshold is exclusive (a spread of exactly 3.0 is "moderate variance").
Verdict spread_verdict(double ratio);
Verdict tail_verdict(double ratio);
Verdict outlier_verdict(double ratio);

// One printable insight line, split so that a caller can colour the verdict.
struct InsightLine {
  std::string measure;       // "Latency spread p99/p50 = 1.9x"
  Verdict verdict;           // "good consistency"; kUnknown with "no latency samples" when n/a
  std::string text() const;  // measure + " -- " + verdict words
};

// The spread, tail and outlier lines, in that order.
std::vector<InsightLine> insight_lines(const LatencyInsight& insight);

}  // namespace strest
