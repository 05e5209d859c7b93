#include "compare/comparison.h"

#include <gtest/gtest.h>

#include <sstream>

#include "compare/comparison_json.h"
#include "compare/comparison_text.h"
#include "synthetic_run.h"

namespace strest {
namespace {

std::vector<DeltaGate> gates_of(std::initializer_list<std::string_view> texts) {
  std::vector<DeltaGate> gates;
  for (std::string_view text : texts) gates.push_back(*parse_delta_gate(text));
  return gates;
}

const MetricComparison& row_of(const ComparisonResult& result, CompareMetric metric) {
  return result.metrics[static_cast<size_t>(metric)];
}

TEST(ComparisonTest, ASlowerRunIsASignificantRegressionAndFailsItsGate) {
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.base_latency_us = 2'200, .seed = 2});
  const auto result = compare_runs(a, b, gates_of({"p99_delta<10%", "error_rate_delta<1%"}), {});
  const MetricComparison& p50 = row_of(result, CompareMetric::kP50);
  EXPECT_EQ(p50.verdict, Verdict::kRegression);
  EXPECT_NEAR(p50.delta, 2'000, 100);
  EXPECT_GT(p50.delta_relative, 5.0);
  EXPECT_EQ(row_of(result, CompareMetric::kErrorRate).verdict, Verdict::kNotSignificant);
  ASSERT_EQ(result.gates.size(), 2u);
  EXPECT_TRUE(result.gates[0].failed);
  EXPECT_FALSE(result.gates[1].failed);
  EXPECT_TRUE(result.gate_failed());
  EXPECT_TRUE(result.has_regression());
}

TEST(ComparisonTest, AFasterRunIsAnImprovementAndPassesEveryGate) {
  const RunSample a = synthetic_sample({.base_latency_us = 2'200, .seed = 1});
  const RunSample b = synthetic_sample({.seed = 2});
  const auto result = compare_runs(a, b, gates_of({"p99_delta<1%"}), {});
  EXPECT_EQ(row_of(result, CompareMetric::kP99).verdict, Verdict::kImprovement);
  EXPECT_FALSE(result.gates[0].past_limit);
  EXPECT_FALSE(result.gate_failed());
  EXPECT_FALSE(result.has_regression());
}

TEST(ComparisonTest, AGatePastItsLimitFailsOnlyOnASignificantRegression) {
  // Same distribution: any difference is noise, so even a gate of 0 ms does not fail.
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.seed = 2});
  const auto result = compare_runs(a, b, gates_of({"p50_delta<0us", "avg_delta<=0us"}), {});
  EXPECT_FALSE(result.has_regression());
  for (const GateOutcome& outcome : result.gates) EXPECT_FALSE(outcome.failed);
  EXPECT_FALSE(result.gate_failed());
}

TEST(ComparisonTest, RpsDropsAreRegressions) {
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.every_us = 1'000, .seed = 2});
  const auto result = compare_runs(a, b, gates_of({"rps_delta<10%"}), {});
  const MetricComparison& rps = row_of(result, CompareMetric::kRps);
  EXPECT_DOUBLE_EQ(rps.a, 2'000);
  EXPECT_DOUBLE_EQ(rps.b, 1'000);
  EXPECT_EQ(rps.verdict, Verdict::kRegression);
  EXPECT_DOUBLE_EQ(result.gates[0].worsening, 0.5);
  EXPECT_TRUE(result.gate_failed());
}

TEST(ComparisonTest, TextShowsTheRunsEveryMetricAndTheGates) {
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.base_latency_us = 2'200, .seed = 2});
  const auto result = compare_runs(a, b, gates_of({"p99_delta<10%"}), {});
  std::ostringstream out;
  write_comparison_text(result, out);
  const std::string text = out.str();
  for (const char* part :
       {"A: synthetic", "10000 requests", "metric", "95% CI of delta", "rps", "error_rate", "avg",
        "p50", "p90", "p99", "regression", "p99_delta<10%", "FAILED", "a gate failed (exit 3)"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << " in:\n" << text;
  }
}

TEST(ComparisonTest, JsonHoldsTheSameFactsWithNullForWhatCannotBeTold) {
  const RunSample a = synthetic_sample({.error_share = 1.0, .seed = 1});  // no responses
  const RunSample b = synthetic_sample({.seed = 2});
  const auto result = compare_runs(a, b, gates_of({"p99_delta<10%"}), {.seed = 9});
  const nlohmann::json json = comparison_json(result);
  EXPECT_EQ(json["a"]["requests"], 10'000);
  EXPECT_EQ(json["a"]["responses"], 0);
  EXPECT_EQ(json["seed"], 9);
  EXPECT_EQ(json["confidence"], 0.95);
  ASSERT_EQ(json["metrics"].size(), kCompareMetrics);
  const nlohmann::json& p99 = json["metrics"][static_cast<size_t>(CompareMetric::kP99)];
  EXPECT_EQ(p99["metric"], "p99");
  EXPECT_EQ(p99["unit"], "us");
  EXPECT_TRUE(p99["a"].is_null());
  EXPECT_TRUE(p99["ci_low"].is_null());
  EXPECT_EQ(p99["verdict"], "not significant");
  const nlohmann::json& errors = json["metrics"][static_cast<size_t>(CompareMetric::kErrorRate)];
  EXPECT_EQ(errors["verdict"], "improvement");
  EXPECT_EQ(json["gates"][0]["gate"], "p99_delta<10%");
  EXPECT_EQ(json["gates"][0]["failed"], false);
  EXPECT_EQ(json["gate_failed"], false);
}

TEST(ComparisonTest, ASignificantChangeSmallerThanTheNoiseIsNoRegression) {
  // Every response of B is 30 µs (3%) slower with a tight spread: the interval leaves out 0.
  const RunSample a = synthetic_sample({.base_latency_us = 1'000, .tail_us = 10, .seed = 1});
  const RunSample b = synthetic_sample({.base_latency_us = 1'030, .tail_us = 10, .seed = 2});
  const auto gates = gates_of({"p50_delta<1%"});
  const auto strict = compare_runs(a, b, gates, {}, 0.0);
  EXPECT_EQ(row_of(strict, CompareMetric::kP50).verdict, Verdict::kRegression);
  EXPECT_TRUE(strict.gate_failed());
  const auto noisy = compare_runs(a, b, gates, {});
  const MetricComparison& p50 = row_of(noisy, CompareMetric::kP50);
  EXPECT_GT(p50.interval.low, 0);
  EXPECT_EQ(p50.verdict, Verdict::kWithinNoise);
  EXPECT_TRUE(noisy.gates[0].past_limit);
  EXPECT_FALSE(noisy.gate_failed());
  EXPECT_FALSE(noisy.has_regression());
  const nlohmann::json json = comparison_json(noisy);
  EXPECT_EQ(json["noise"], kDefaultNoise);
  EXPECT_EQ(json["metrics"][static_cast<size_t>(CompareMetric::kP50)]["verdict"], "within noise");
  EXPECT_EQ(json["metrics"][static_cast<size_t>(CompareMetric::kP50)]["significant"], false);
}

TEST(ComparisonTest, ErrorsWhereTheBaselineHadNoneAreNeverNoise) {
  const RunSample a = synthetic_sample({.seed = 1});
  const RunSample b = synthetic_sample({.error_share = 0.05, .seed = 2});
  const auto result = compare_runs(a, b, {}, {}, 0.5);
  EXPECT_EQ(row_of(result, CompareMetric::kErrorRate).verdict, Verdict::kRegression);
}

TEST(ComparisonTest, MetricValuesReadInTheirUnits) {
  EXPECT_EQ(format_metric_value(CompareMetric::kP99, 1'250), "1.25ms");
  EXPECT_EQ(format_metric_value(CompareMetric::kP99, -850, true), "-850us");
  EXPECT_EQ(format_metric_value(CompareMetric::kErrorRate, 0.005, true), "+0.5%");
  EXPECT_EQ(format_metric_value(CompareMetric::kRps, 512.25), "512.25");
  EXPECT_EQ(format_metric_value(CompareMetric::kAvg, std::nan("")), "n/a");
}

}  // namespace
}  // namespace strest
