#include "compare/delta_gate.h"

#include <gtest/gtest.h>

#include <cmath>

namespace strest {
namespace {

DeltaGate parsed(std::string_view text) {
  auto gate = parse_delta_gate(text);
  EXPECT_TRUE(gate.ok()) << text << ": " << (gate.ok() ? "" : gate.error());
  return gate.ok() ? *gate : DeltaGate{};
}

std::string error_of(std::string_view text) {
  auto gate = parse_delta_gate(text);
  EXPECT_FALSE(gate.ok()) << text << " parsed";
  return gate.ok() ? "" : gate.error();
}

TEST(DeltaGateTest, LatencyGatesTakeAPercentOfAOrATime) {
  DeltaGate gate = parsed("p99_delta<10%");
  EXPECT_EQ(gate.metric, CompareMetric::kP99);
  EXPECT_EQ(gate.op, ThresholdOp::kLess);
  EXPECT_EQ(gate.unit, GateUnit::kRelative);
  EXPECT_DOUBLE_EQ(gate.limit, 0.1);
  gate = parsed(" p50_delta <= 5ms ");
  EXPECT_EQ(gate.metric, CompareMetric::kP50);
  EXPECT_EQ(gate.op, ThresholdOp::kLessEqual);
  EXPECT_EQ(gate.unit, GateUnit::kMicros);
  EXPECT_DOUBLE_EQ(gate.limit, 5'000);
  EXPECT_EQ(gate.expression, "p50_delta <= 5ms");
  EXPECT_EQ(parsed("P90_DELTA<250us").metric, CompareMetric::kP90);
  EXPECT_EQ(parsed("avg_delta<1.5s").limit, 1'500'000);
}

TEST(DeltaGateTest, ErrorRateGatesAreAbsolutePoints) {
  const DeltaGate gate = parsed("error_rate_delta<0.5%");
  EXPECT_EQ(gate.metric, CompareMetric::kErrorRate);
  EXPECT_EQ(gate.unit, GateUnit::kPoints);
  EXPECT_DOUBLE_EQ(gate.limit, 0.005);
  EXPECT_DOUBLE_EQ(parsed("error_rate_delta<0.01").limit, 0.01);
}

TEST(DeltaGateTest, RpsGatesBoundTheDropInPercentOrRequestsPerSecond) {
  DeltaGate gate = parsed("rps_delta<5%");
  EXPECT_EQ(gate.unit, GateUnit::kRelative);
  EXPECT_DOUBLE_EQ(gate.limit, 0.05);
  gate = parsed("rps_delta<200");
  EXPECT_EQ(gate.unit, GateUnit::kPerSecond);
  EXPECT_DOUBLE_EQ(gate.limit, 200);
}

TEST(DeltaGateTest, BadGatesNameThemselvesAndTheFix) {
  EXPECT_EQ(error_of("p95_delta<5ms"),
            "threshold 'p95_delta<5ms': unknown delta metric 'p95_delta' (use p50_delta, "
            "p90_delta, p99_delta, avg_delta, rps_delta or error_rate_delta; run thresholds such "
            "as p99<200ms belong to a run)");
  EXPECT_NE(error_of("p99<5ms").find("unknown delta metric 'p99'"), std::string::npos);
  EXPECT_NE(error_of("p99_delta>5ms").find("use < or <="), std::string::npos);
  EXPECT_NE(error_of("p99_delta<5").find("give a unit"), std::string::npos);
  EXPECT_NE(error_of("p99_delta<5kg").find("unknown unit 'kg'"), std::string::npos);
  EXPECT_NE(error_of("p99_delta<-5ms").find("must not be negative"), std::string::npos);
  EXPECT_NE(error_of("p99_delta<").find("missing value"), std::string::npos);
  EXPECT_NE(error_of("p99_delta 5ms").find("missing operator"), std::string::npos);
  EXPECT_NE(error_of("rps_delta<5ms").find("rps_delta takes a percent"), std::string::npos);
  EXPECT_NE(error_of("error_rate_delta<2").find("not a fraction"), std::string::npos);
  EXPECT_NE(error_of("p99_delta<abc").find("expected a number"), std::string::npos);
}

TEST(DeltaGateTest, WorseningIsUpForLatencyAndErrorsAndDownForRps) {
  EXPECT_DOUBLE_EQ(gate_worsening(parsed("p99_delta<10%"), 1'000, 1'250), 0.25);
  EXPECT_DOUBLE_EQ(gate_worsening(parsed("p99_delta<10%"), 1'000, 800), -0.2);
  EXPECT_DOUBLE_EQ(gate_worsening(parsed("p99_delta<5ms"), 1'000, 3'000), 2'000);
  EXPECT_DOUBLE_EQ(gate_worsening(parsed("error_rate_delta<1%"), 0.01, 0.03), 0.02);
  EXPECT_DOUBLE_EQ(gate_worsening(parsed("rps_delta<5%"), 1'000, 900), 0.1);
  EXPECT_DOUBLE_EQ(gate_worsening(parsed("rps_delta<50"), 1'000, 1'100), -100);
  EXPECT_TRUE(std::isnan(gate_worsening(parsed("p99_delta<10%"), 0, 100)));
}

TEST(DeltaGateTest, HoldsComparesWithTheGatesOperator) {
  EXPECT_TRUE(gate_holds(parsed("p99_delta<10%"), 0.09));
  EXPECT_FALSE(gate_holds(parsed("p99_delta<10%"), 0.1));
  EXPECT_TRUE(gate_holds(parsed("p99_delta<=10%"), 0.1));
  EXPECT_TRUE(gate_holds(parsed("p99_delta<10%"), std::nan("")));
}

}  // namespace
}  // namespace strest
