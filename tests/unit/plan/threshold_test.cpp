#include "plan/threshold.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace strest {
namespace {

using M = ThresholdMetric;
using Op = ThresholdOp;

Threshold parsed(std::string_view text) {
  auto threshold = parse_threshold(text);
  EXPECT_TRUE(threshold.ok()) << text << ": " << (threshold.ok() ? "" : threshold.error());
  return threshold.ok() ? *threshold : Threshold{};
}

std::string error_of(std::string_view text) {
  auto threshold = parse_threshold(text);
  EXPECT_FALSE(threshold.ok()) << text << " parsed";
  if (threshold.ok()) return "";
  EXPECT_EQ(threshold.error().find('\n'), std::string::npos);
  return threshold.error();
}

struct MetricCase {
  std::string_view name;
  M metric;
};

// Every canonical name, with a value in its kind's units.
const std::vector<MetricCase> kCanonical = {
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
};

std::string sample_value(M metric) {
  switch (threshold_kind(metric)) {
    case ThresholdKind::kLatency:
      return "200ms";
    case ThresholdKind::kRate:
      return "1%";
    default:
      return "5";
  }
}

TEST(ParseThreshold, EveryMetricParses) {
  for (const MetricCase& c : kCanonical) {
    const Threshold t = parsed(std::string(c.name) + "<" + sample_value(c.metric));
    EXPECT_EQ(t.metric, c.metric) << c.name;
  }
}

TEST(ParseThreshold, AliasesAndCase) {
  EXPECT_EQ(parsed("p99.9<1s").metric, M::kP999);
  EXPECT_EQ(parsed("p99.9_ok<1s").metric, M::kP999Ok);
  EXPECT_EQ(parsed("requests>=100").metric, M::kTotalRequests);
  EXPECT_EQ(parsed("P99<1s").metric, M::kP99);
  EXPECT_EQ(parsed("Error_Rate<1%").metric, M::kErrorRate);
}

TEST(ParseThreshold, EveryOperatorParses) {
  EXPECT_EQ(parsed("p99<1ms").op, Op::kLess);
  EXPECT_EQ(parsed("p99<=1ms").op, Op::kLessEqual);
  EXPECT_EQ(parsed("p99>1ms").op, Op::kGreater);
  EXPECT_EQ(parsed("p99>=1ms").op, Op::kGreaterEqual);
  EXPECT_EQ(parsed("p99==1ms").op, Op::kEqual);
  EXPECT_EQ(parsed("p99!=1ms").op, Op::kNotEqual);
}

TEST(ParseThreshold, SpacesAroundTokensAndExpressionKeptTrimmed) {
  const Threshold t = parsed("  p99 <=\t200 ms \n");
  EXPECT_EQ(t.expression, "p99 <=\t200 ms");
  EXPECT_EQ(t.metric, M::kP99);
  EXPECT_EQ(t.op, Op::kLessEqual);
  EXPECT_EQ(t.value, 200'000);
  EXPECT_EQ(parsed("p99<200ms").expression, "p99<200ms");
}

TEST(ParseThreshold, LatencyUnitsAreMicroseconds) {
  EXPECT_EQ(parsed("p99<800us").value, 800);
  EXPECT_EQ(parsed("p99<800µs").value, 800);
  EXPECT_EQ(parsed("p99<800\u03bcs").value, 800);
  EXPECT_EQ(parsed("p99<200ms").value, 200'000);
  EXPECT_EQ(parsed("p99<1.5ms").value, 1'500);
  EXPECT_EQ(parsed("p99<1.5s").value, 1'500'000);
  EXPECT_EQ(parsed("p99<.25s").value, 250'000);
  EXPECT_EQ(parsed("p99<3.s").value, 3'000'000);
  EXPECT_EQ(parsed("min>=0ms").value, 0);
}

TEST(ParseThreshold, LatencyIsRoundedToWholeMicroseconds) {
  EXPECT_EQ(parsed("p99<1.4us").value, 1);
  EXPECT_EQ(parsed("p99<0.0016ms").value, 2);
}

TEST(ParseThreshold, RatesArePercentOrFraction) {
  EXPECT_EQ(parsed("error_rate<1%").value, 0.01);
  EXPECT_EQ(parsed("error_rate<0.5%").value, 0.005);
  EXPECT_EQ(parsed("error_rate<0.01").value, 0.01);
  EXPECT_EQ(parsed("success_rate>=100%").value, 1.0);
  EXPECT_EQ(parsed("success_rate>=1").value, 1.0);
  EXPECT_EQ(parsed("timeout_rate==0%").value, 0.0);
  EXPECT_EQ(parsed("error_rate < 2 %").value, 0.02);
}

// A percent limit equals the ratio that a run with that exact share of errors computes.
TEST(ParseThreshold, PercentIsTheNearestDoubleToTheDecimal) {
  EXPECT_EQ(parsed("error_rate<1.1%").value, 11.0 / 1000.0);
  EXPECT_EQ(parsed("error_rate<0.3%").value, 3.0 / 1000.0);
  EXPECT_EQ(parsed("success_rate>99.9%").value, 999.0 / 1000.0);
}

TEST(ParseThreshold, RpsAndCountsArePlainNumbers) {
  EXPECT_EQ(parsed("rps>=500").value, 500);
  EXPECT_EQ(parsed("rps>12.5").value, 12.5);
  EXPECT_EQ(parsed("timeouts==0").value, 0);
  EXPECT_EQ(parsed("total_requests>=10000").value, 10'000);
  EXPECT_EQ(parsed("errors<=10.0").value, 10);
}

TEST(ParseThreshold, EmptyExpression) {
  EXPECT_NE(error_of("").find("empty threshold"), std::string::npos);
  EXPECT_NE(error_of("  \t").find("empty threshold"), std::string::npos);
}

TEST(ParseThreshold, UnknownOperator) {
  EXPECT_EQ(error_of("p99<<200ms"),
            "threshold 'p99<<200ms': unknown operator '<<' (use <, <=, >, >=, ==, !=)");
  EXPECT_NE(error_of("p99=200ms").find("unknown operator '='"), std::string::npos);
  EXPECT_NE(error_of("p99=>200ms").find("unknown operator '=>'"), std::string::npos);
  EXPECT_NE(error_of("p99!200ms").find("unknown operator '!'"), std::string::npos);
}

TEST(ParseThreshold, MissingOperator) {
  EXPECT_EQ(error_of("p99 200ms"),
            "threshold 'p99 200ms': missing operator (use <, <=, >, >=, ==, !=)");
}

TEST(ParseThreshold, UnknownMetricListsTheValidOnes) {
  EXPECT_EQ(error_of("p98<200ms"),
            "threshold 'p98<200ms': unknown metric 'p98' (use p50, p90, p95, p99, p999, avg, min, "
            "max, optionally with _ok; error_rate, success_rate, timeout_rate, rps, "
            "total_requests, successful_requests, errors, timeouts, transport_errors, "
            "non_expected_status)");
  EXPECT_NE(error_of("p 99<1ms").find("unknown metric 'p 99'"), std::string::npos);
}

TEST(ParseThreshold, MissingMetricOrValue) {
  EXPECT_NE(error_of("<200ms").find("missing metric (use p50"), std::string::npos);
  EXPECT_EQ(error_of("p99<"), "threshold 'p99<': missing value after the operator");
  EXPECT_EQ(error_of("p99 <  "), "threshold 'p99 <': missing value after the operator");
}

TEST(ParseThreshold, InvalidOrNegativeNumber) {
  EXPECT_EQ(error_of("p99<-5ms"), "threshold 'p99<-5ms': value must not be negative");
  EXPECT_EQ(error_of("p99<abc"), "threshold 'p99<abc': invalid value 'abc': expected a number");
  EXPECT_NE(error_of("p99<1.2.3ms").find("invalid value"), std::string::npos);
  EXPECT_NE(error_of("p99<.ms").find("invalid value"), std::string::npos);
  EXPECT_NE(error_of("rps>1e3").find("no unit"), std::string::npos);
  EXPECT_NE(error_of("rps>inf").find("invalid value"), std::string::npos);
  EXPECT_NE(error_of("rps>" + std::string(400, '9')).find("out of range"), std::string::npos);
}

TEST(ParseThreshold, LatencyNeedsAUnit) {
  EXPECT_EQ(error_of("p99<200"), "threshold 'p99<200': give a unit: 200ms (us, ms or s)");
  EXPECT_EQ(error_of("avg_ok<2sec"),
            "threshold 'avg_ok<2sec': unknown unit 'sec' (use us, ms or s)");
  EXPECT_NE(error_of("p99<2m").find("unknown unit 'm'"), std::string::npos);
  EXPECT_NE(error_of("p99<1%").find("unknown unit '%'"), std::string::npos);
}

TEST(ParseThreshold, RateOutOfRangeOrWithUnit) {
  EXPECT_EQ(error_of("error_rate<5"),
            "threshold 'error_rate<5': 5 is not a fraction from 0 to 1; write 5% for a percent");
  EXPECT_EQ(error_of("error_rate<150%"), "threshold 'error_rate<150%': 150% is above 100%");
  EXPECT_NE(error_of("error_rate<5ms").find("a rate is a percent or a fraction"),
            std::string::npos);
}

TEST(ParseThreshold, RpsAndCountsTakeNoUnit) {
  EXPECT_EQ(error_of("rps>500/s"),
            "threshold 'rps>500/s': rps takes a plain number, no unit (e.g. rps>=500)");
  EXPECT_NE(error_of("errors<1%").find("errors takes a plain number"), std::string::npos);
  EXPECT_EQ(error_of("errors<=0.5"),
            "threshold 'errors<=0.5': errors is a count: use a whole number (e.g. errors<=10)");
}

TEST(ParseThreshold, ControlCharactersInErrorsAreEscaped) {
  const std::string error = error_of("p9\x01<1ms");
  EXPECT_NE(error.find("'p9\\x01'"), std::string::npos) << error;
}

TEST(ThresholdMetricName, CanonicalNameOfEveryMetric) {
  for (const MetricCase& c : kCanonical) EXPECT_EQ(threshold_metric_name(c.metric), c.name);
}

TEST(ThresholdKind, OfEachFamily) {
  EXPECT_EQ(threshold_kind(M::kP50), ThresholdKind::kLatency);
  EXPECT_EQ(threshold_kind(M::kMaxOk), ThresholdKind::kLatency);
  EXPECT_EQ(threshold_kind(M::kErrorRate), ThresholdKind::kRate);
  EXPECT_EQ(threshold_kind(M::kTimeoutRate), ThresholdKind::kRate);
  EXPECT_EQ(threshold_kind(M::kRps), ThresholdKind::kRps);
  EXPECT_EQ(threshold_kind(M::kTotalRequests), ThresholdKind::kCount);
  EXPECT_EQ(threshold_kind(M::kNonExpectedStatus), ThresholdKind::kCount);
}

TEST(ThresholdOpText, EveryOperator) {
  EXPECT_EQ(threshold_op_text(Op::kLess), "<");
  EXPECT_EQ(threshold_op_text(Op::kLessEqual), "<=");
  EXPECT_EQ(threshold_op_text(Op::kGreater), ">");
  EXPECT_EQ(threshold_op_text(Op::kGreaterEqual), ">=");
  EXPECT_EQ(threshold_op_text(Op::kEqual), "==");
  EXPECT_EQ(threshold_op_text(Op::kNotEqual), "!=");
}

TEST(FormatThresholdValue, Latency) {
  EXPECT_EQ(format_threshold_value(M::kP99, 200'000), "200ms");
  EXPECT_EQ(format_threshold_value(M::kP99, 1'500'000), "1.5s");
  EXPECT_EQ(format_threshold_value(M::kP99, 850), "850us");
  EXPECT_EQ(format_threshold_value(M::kAvg, 12'345.6), "12.346ms");
  EXPECT_EQ(format_threshold_value(M::kMin, 0), "0us");
  EXPECT_EQ(format_threshold_value(M::kMaxOk, 1'000'000), "1s");
}

TEST(FormatThresholdValue, RatesCountsAndRps) {
  EXPECT_EQ(format_threshold_value(M::kErrorRate, 0.01), "1%");
  EXPECT_EQ(format_threshold_value(M::kErrorRate, 0.005), "0.5%");
  EXPECT_EQ(format_threshold_value(M::kSuccessRate, 0.011), "1.1%");
  EXPECT_EQ(format_threshold_value(M::kSuccessRate, 1.0 / 3.0), "33.3333%");
  EXPECT_EQ(format_threshold_value(M::kTotalRequests, 500), "500");
  EXPECT_EQ(format_threshold_value(M::kErrors, 0), "0");
  EXPECT_EQ(format_threshold_value(M::kRps, 512.25), "512.25");
  EXPECT_EQ(format_threshold_value(M::kRps, 1'000.0 / 3.0), "333.33");
}

TEST(FormatThresholdValue, NaNIsNotAvailable) {
  EXPECT_EQ(format_threshold_value(M::kP99, std::numeric_limits<double>::quiet_NaN()), "n/a");
}

// What format_threshold_value writes, parse_threshold reads back as the same limit.
TEST(FormatThresholdValue, RoundTripsThroughParse) {
  const std::vector<double> latencies = {0, 1, 850, 1'500, 200'000, 1'234'567, 90'000'000};
  for (double us : latencies) {
    EXPECT_EQ(parsed("p99<" + format_threshold_value(M::kP99, us)).value, us) << us;
  }
  for (double rate : {0.0, 0.01, 0.005, 0.011, 0.999, 1.0}) {
    EXPECT_EQ(parsed("error_rate<" + format_threshold_value(M::kErrorRate, rate)).value, rate);
  }
  EXPECT_EQ(parsed("rps>" + format_threshold_value(M::kRps, 512.25)).value, 512.25);
  EXPECT_EQ(parsed("errors<" + format_threshold_value(M::kErrors, 42)).value, 42);
}

}  // namespace
}  // namespace strest
