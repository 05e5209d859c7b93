#include "compare/block_bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>

#include "synthetic_run.h"

namespace strest {
namespace {

constexpr CompareMetric kLatencies[] = {CompareMetric::kAvg, CompareMetric::kP50,
                                        CompareMetric::kP90, CompareMetric::kP99};

const DeltaInterval& of(const std::array<DeltaInterval, kCompareMetrics>& intervals,
                        CompareMetric metric) {
  return intervals[static_cast<size_t>(metric)];
}

bool holds_zero(const DeltaInterval& interval) { return interval.low <= 0 && interval.high >= 0; }

TEST(BlockBootstrapTest, TwoRunsOfTheSameDistributionRarelyDifferSignificantly) {
  // Pairs of independent runs of one server (different seeds), as two runs of the same route
  // are: a 95% interval leaves out 0 for about 1 pair in 20 by chance, never for most.
  constexpr int kPairs = 20;
  std::array<int, kCompareMetrics> significant{};
  for (uint64_t seed = 1; seed <= kPairs; ++seed) {
    const RunSample a = synthetic_sample({.seed = seed});
    const RunSample b = synthetic_sample({.seed = seed + 100});
    const auto intervals = bootstrap_delta_intervals(a, b, {.seed = seed});
    for (size_t m = 0; m < kCompareMetrics; ++m) significant[m] += holds_zero(intervals[m]) ? 0 : 1;
  }
  for (size_t m = 0; m < kCompareMetrics; ++m) {
    EXPECT_LE(significant[m], kPairs / 5) << "metric " << m;
  }
}

TEST(BlockBootstrapTest, ALatencyShiftedByTwoMillisecondsIsFoundAndMeasured) {
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.base_latency_us = 2'200, .seed = 2});
  const auto intervals = bootstrap_delta_intervals(a, b, {});
  for (CompareMetric metric : kLatencies) {
    const DeltaInterval& interval = of(intervals, metric);
    EXPECT_GT(interval.low, 1'800) << static_cast<int>(metric);
    EXPECT_LT(interval.high, 2'200) << static_cast<int>(metric);
  }
}

TEST(BlockBootstrapTest, MoreErrorsAreFoundAndFewerRequestsPerSecondToo) {
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.every_us = 600, .error_share = 0.05, .seed = 2});
  const auto intervals = bootstrap_delta_intervals(a, b, {});
  EXPECT_GT(of(intervals, CompareMetric::kErrorRate).low, 0.03);
  EXPECT_LT(of(intervals, CompareMetric::kErrorRate).high, 0.07);
  EXPECT_LT(of(intervals, CompareMetric::kRps).high, 0);  // 2000/s -> 1667/s
}

TEST(BlockBootstrapTest, TheSameSeedGivesTheSameIntervals) {
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.seed = 2});
  const auto first = bootstrap_delta_intervals(a, b, {.seed = 42});
  const auto again = bootstrap_delta_intervals(a, b, {.seed = 42});
  for (size_t m = 0; m < kCompareMetrics; ++m) {
    EXPECT_EQ(first[m].low, again[m].low);
    EXPECT_EQ(first[m].high, again[m].high);
  }
}

TEST(BlockBootstrapTest, AHigherConfidenceGivesAWiderInterval) {
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.seed = 2});
  const auto narrow = bootstrap_delta_intervals(a, b, {.confidence = 0.8});
  const auto wide = bootstrap_delta_intervals(a, b, {.confidence = 0.99});
  const DeltaInterval& n = of(narrow, CompareMetric::kAvg);
  const DeltaInterval& w = of(wide, CompareMetric::kAvg);
  EXPECT_LT(w.low, n.low);
  EXPECT_GT(w.high, n.high);
}

TEST(BlockBootstrapTest, RunsTooShortToResampleGetNoInterval) {
  const RunSample a = synthetic_sample({.duration_us = 300'000, .seed = 1});  // 3 blocks
  const RunSample b = synthetic_sample({.seed = 2});
  const auto intervals = bootstrap_delta_intervals(a, b, {});
  for (const DeltaInterval& interval : intervals) {
    EXPECT_TRUE(std::isnan(interval.low));
    EXPECT_TRUE(std::isnan(interval.high));
  }
}

TEST(BlockBootstrapTest, RunMetricsReadTheWholeRun) {
  const RunSample sample = synthetic_sample({.every_us = 1'000, .error_share = 0, .seed = 3});
  const MetricValues values = run_metrics(sample);
  EXPECT_DOUBLE_EQ(at(values, CompareMetric::kRps), 1'000.0);  // 5000 requests over 5 s
  EXPECT_DOUBLE_EQ(at(values, CompareMetric::kErrorRate), 0.0);
  EXPECT_NEAR(at(values, CompareMetric::kAvg), 300.0, 10.0);  // 200 + mean tail 100
  EXPECT_LT(at(values, CompareMetric::kP50), at(values, CompareMetric::kP99));
}

TEST(BlockBootstrapTest, ARunWithoutResponsesHasNoLatency) {
  const RunSample sample = synthetic_sample({.error_share = 1.0});
  const MetricValues values = run_metrics(sample);
  EXPECT_TRUE(std::isnan(at(values, CompareMetric::kP99)));
  EXPECT_TRUE(std::isnan(at(values, CompareMetric::kAvg)));
  EXPECT_DOUBLE_EQ(at(values, CompareMetric::kErrorRate), 1.0);
}

}  // namespace
}  // namespace strest
