#pragma once
// The statistics of `strest compare`: each metric of a run from its blocks, and a confidence
// interval for the difference B - A by a block bootstrap (resample each run's time blocks with
// replacement, recompute the metric, take the middle `confidence` of the differences). Seeded,
// so the same inputs and seed give the same intervals. Cost: replicates x (the blocks' non-empty
// buckets + the run's buckets), whatever the runs' record counts.
#include <array>
#include <cstdint>
#include <vector>

#include "compare/run_sample.h"

namespace strest {

// The metrics compared with an interval, in report order.
enum class CompareMetric { kRps, kErrorRate, kAvg, kP50, kP90, kP99 };
inline constexpr size_t kCompareMetrics = 6;

// One value per CompareMetric: latencies in µs, error rate a fraction, RPS per second. NaN
// where the run cannot tell (no responses for latency, no requests for the error rate, no window
// for RPS).
using MetricValues = std::array<double, kCompareMetrics>;

inline double& at(MetricValues& values, CompareMetric metric) {
  return values[static_cast<size_t>(metric)];
}
inline double at(const MetricValues& values, CompareMetric metric) {
  return values[static_cast<size_t>(metric)];
}

// Adds up whole blocks of a run (each any number of times) and reads the metrics of the sum.
class BlockFold {
 public:
  explicit BlockFold(const RunSample& sample);
  void clear();
  void add(const RunBlock& block);
  // Percentiles as the summary computes them from its histogram; RPS is the run's RPS scaled by
  // the share of its requests folded (all blocks once each: the run's own RPS).
  MetricValues metrics() const;
  uint64_t completed() const { return completed_; }

 private:
  int64_t percentile_us(double percentile) const;

  const RunSample& sample_;
  std::vector<uint64_t> bucket_counts_;
  uint64_t responses_ = 0;
  uint64_t completed_ = 0;
  uint64_t errors_ = 0;
  uint64_t run_completed_ = 0;
  double latency_sum_us_ = 0;
};

// The metrics of the whole run.
MetricValues run_metrics(const RunSample& sample);

struct BootstrapOptions {
  int replicates = 1000;
  double confidence = 0.95;  // in (0, 1)
  uint64_t seed = 1;
};

// A two-sided interval; both ends NaN when either run cannot tell the metric or has fewer than
// kMinBootstrapBlocks blocks.
struct DeltaInterval {
  double low = 0;
  double high = 0;
};

// Fewer blocks than this (a run shorter than half a second) say nothing of a run's spread.
inline constexpr size_t kMinBootstrapBlocks = 5;

// For each metric, the `confidence` interval of metric(B) - metric(A).
std::array<DeltaInterval, kCompareMetrics> bootstrap_delta_intervals(
    const RunSample& a, const RunSample& b, const BootstrapOptions& options);

}  // namespace strest
