#include "report/insight.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

TEST(InsightVerdict, SpreadBoundaries) {
  EXPECT_EQ(spread_verdict(1.0).words, "good consistency");
  EXPECT_EQ(spread_verdict(2.999).level, VerdictLevel::kGood);
  EXPECT_EQ(spread_verdict(3.0).words, "moderate variance");
  EXPECT_EQ(spread_verdict(9.999).level, VerdictLevel::kFair);
  EXPECT_EQ(spread_verdict(10.0).words, "high variance");
  EXPECT_EQ(spread_verdict(250.0).level, VerdictLevel::kPoor);
}

TEST(InsightVerdict, TailBoundaries) {
  EXPECT_EQ(tail_verdict(1.0).words, "clean tail");
  EXPECT_EQ(tail_verdict(1.499).level, VerdictLevel::kGood);
  EXPECT_EQ(tail_verdict(1.5).words, "moderate tail");
  EXPECT_EQ(tail_verdict(2.999).level, VerdictLevel::kFair);
  EXPECT_EQ(tail_verdict(3.0).words, "heavy tail");
  EXPECT_EQ(tail_verdict(3.0).level, VerdictLevel::kPoor);
}

TEST(InsightVerdict, OutlierBoundaries) {
  EXPECT_EQ(outlier_verdict(1.0).words, "no significant outliers");
  EXPECT_EQ(outlier_verdict(1.499).level, VerdictLevel::kGood);
  EXPECT_EQ(outlier_verdict(1.5).words, "some outliers");
  EXPECT_EQ(outlier_verdict(2.999).level, VerdictLevel::kFair);
  EXPECT_EQ(outlier_verdict(3.0).words, "severe outliers");
  EXPECT_EQ(outlier_verdict(3.0).level, VerdictLevel::kPoor);
}

TEST(InsightCompute, RatiosOfPercentiles) {
  const LatencyInsight insight = compute_insight(100, 170, 190, 209);
  ASSERT_TRUE(insight.spread && insight.tail && insight.outliers);
  EXPECT_DOUBLE_EQ(*insight.spread, 1.9);
  EXPECT_DOUBLE_EQ(*insight.tail, 190.0 / 170.0);
  EXPECT_DOUBLE_EQ(*insight.outliers, 1.1);
}

TEST(InsightCompute, ZeroDenominatorGivesNoRatio) {
  const LatencyInsight insight = compute_insight(0, 0, 0, 0);
  EXPECT_FALSE(insight.spread);
  EXPECT_FALSE(insight.tail);
  EXPECT_FALSE(insight.outliers);
  const LatencyInsight partial = compute_insight(0, 5, 10, 10);
  EXPECT_FALSE(partial.spread);
  ASSERT_TRUE(partial.tail);
  EXPECT_DOUBLE_EQ(*partial.tail, 2.0);
}

TEST(InsightCompute, FromHistogram) {
  HdrHistogram latency;
  // Each percentile's rank (500, 950, 990, 999) sits inside a plateau, not on its edge.
  latency.record_n(100, 600);  // ranks 1..600
  latency.record_n(150, 380);  // ranks 601..980
  latency.record_n(300, 17);   // ranks 981..997
  latency.record_n(900, 3);    // ranks 998..1000
  const LatencyInsight insight = compute_insight(latency);
  ASSERT_TRUE(insight.spread && insight.tail && insight.outliers);
  EXPECT_DOUBLE_EQ(*insight.spread, 3.0);
  EXPECT_DOUBLE_EQ(*insight.tail, 2.0);
  EXPECT_DOUBLE_EQ(*insight.outliers, 3.0);
}

TEST(InsightCompute, EmptyHistogramGivesNoRatios) {
  const LatencyInsight insight = compute_insight(HdrHistogram());
  EXPECT_FALSE(insight.spread || insight.tail || insight.outliers);
}

TEST(InsightLines, VastarWording) {
  const auto lines = insight_lines(compute_insight(100, 170, 190, 209));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text(), "Latency spread p99/p50 = 1.9x -- good consistency");
  EXPECT_EQ(lines[1].text(), "Tail ratio p99/p95 = 1.1x -- clean tail");
  EXPECT_EQ(lines[2].text(), "Outlier ratio p99.9/p99 = 1.1x -- no significant outliers");
  EXPECT_EQ(lines[0].measure, "Latency spread p99/p50 = 1.9x");
  EXPECT_EQ(lines[0].verdict.level, VerdictLevel::kGood);
}

TEST(InsightLines, ShownRatioNeverContradictsVerdict) {
  // 2.97 would round to "3.0x" next to "good consistency"; it is truncated instead.
  const auto lines = insight_lines(LatencyInsight{2.97, 1.7, 3.0});
  EXPECT_EQ(lines[0].text(), "Latency spread p99/p50 = 2.9x -- good consistency");
  EXPECT_EQ(lines[1].text(), "Tail ratio p99/p95 = 1.7x -- moderate tail");
  EXPECT_EQ(lines[2].text(), "Outlier ratio p99.9/p99 = 3.0x -- severe outliers");
}

TEST(InsightLines, MissingRatioSaysSo) {
  const auto lines = insight_lines(LatencyInsight{});
  ASSERT_EQ(lines.size(), 3u);
  for (const InsightLine& line : lines) {
    EXPECT_EQ(line.verdict.level, VerdictLevel::kUnknown);
    EXPECT_NE(line.text().find("= n/a -- no latency samples"), std::string::npos) << line.text();
  }
}

}  // namespace
}  // namespace strest
