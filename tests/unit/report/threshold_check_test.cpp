#include "report/threshold_check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace strest {
namespace {

using nlohmann::json;

// 1,000 completed requests: 990 ok, 6 non-expected, 3 timeouts, 1 transport error. Each
// percentile's rank in latency_all (500, 900, 950, 990, 999 of 1,000) sits inside a plateau,
// and every value is below 2,048 µs, where the histogram is exact.
Tally sample_totals() {
  Tally t;
  t.ok = 990;
  t.non_expected_status = 6;
  t.timeouts = 3;
  t.transport_errors = 1;
  t.latency_all.record_n(400, 800);  // ranks 1..800: p50
  t.latency_all.record_n(800, 120);  // 801..920: p90
  t.latency_all.record_n(1200, 50);  // 921..970: p95
  t.latency_all.record_n(1600, 25);  // 971..995: p99
  t.latency_all.record_n(2000, 5);   // 996..1000: p99.9
  t.latency_ok.record_n(300, 10);
  return t;
}
// Mean of latency_all: (400*800 + 800*120 + 1200*50 + 1600*25 + 2000*5) / 1000.
constexpr double kMeanAll = 526;
constexpr double kSeconds = 2.0;  // 1,000 requests in 2 s: 500 rps

Threshold parsed(std::string_view text) {
  auto threshold = parse_threshold(text);
  EXPECT_TRUE(threshold.ok()) << text << ": " << (threshold.ok() ? "" : threshold.error());
  return threshold.ok() ? *threshold : Threshold{};
}

std::vector<Threshold> parsed_all(const std::vector<std::string>& texts) {
  std::vector<Threshold> thresholds;
  for (const std::string& text : texts) thresholds.push_back(parsed(text));
  return thresholds;
}

ThresholdResult judged(std::string_view text, const Tally& totals = sample_totals(),
                       double seconds = kSeconds) {
  return evaluate_thresholds({parsed(text)}, totals, seconds).front();
}

bool passes(std::string_view text, const Tally& totals = sample_totals()) {
  return judged(text, totals).passed;
}

TEST(EvaluateThresholds, LatencyOfAllRequests) {
  EXPECT_EQ(judged("p50<1ms").actual, 400);
  EXPECT_EQ(judged("p90<1ms").actual, 800);
  EXPECT_EQ(judged("p95<1ms").actual, 1200);
  EXPECT_EQ(judged("p99<1ms").actual, 1600);
  EXPECT_EQ(judged("p999<1ms").actual, 2000);
  EXPECT_EQ(judged("p99.9<1ms").actual, 2000);
  EXPECT_EQ(judged("avg<1ms").actual, kMeanAll);
  EXPECT_EQ(judged("min<1ms").actual, 400);
  EXPECT_EQ(judged("max<1ms").actual, 2000);
  EXPECT_TRUE(passes("p99<2ms"));
  EXPECT_FALSE(passes("p99<1.5ms"));
  EXPECT_TRUE(passes("avg<=526us"));
  EXPECT_FALSE(passes("max<2ms"));
}

TEST(EvaluateThresholds, LatencyOfOkRequests) {
  for (const char* name :
       {"p50_ok", "p90_ok", "p95_ok", "p99_ok", "p999_ok", "avg_ok", "min_ok", "max_ok"}) {
    const ThresholdResult result = judged(std::string(name) + "<1ms");
    EXPECT_EQ(result.actual, 300) << name;
    EXPECT_TRUE(result.passed) << name;
  }
  EXPECT_FALSE(passes("p99_ok<300us"));
}

TEST(EvaluateThresholds, Rates) {
  EXPECT_EQ(judged("error_rate<1%").actual, 0.01);
  EXPECT_EQ(judged("success_rate>1%").actual, 0.99);
  EXPECT_EQ(judged("timeout_rate<1%").actual, 0.003);
  EXPECT_TRUE(passes("error_rate<=1%"));
  EXPECT_FALSE(passes("error_rate<1%"));
  EXPECT_TRUE(passes("error_rate<0.011"));
  EXPECT_TRUE(passes("success_rate>=99%"));
  EXPECT_FALSE(passes("success_rate>99%"));
  EXPECT_TRUE(passes("timeout_rate==0.3%"));
  EXPECT_FALSE(passes("timeout_rate<0.3%"));
}

TEST(EvaluateThresholds, RpsOverTheMeasuredWindow) {
  EXPECT_EQ(judged("rps>=500").actual, 500);
  EXPECT_TRUE(passes("rps>=500"));
  EXPECT_FALSE(passes("rps>500"));
  EXPECT_EQ(judged("rps>1", sample_totals(), 4.0).actual, 250);
  EXPECT_EQ(judged("rps>1", sample_totals(), 0.0).actual, 0);
}

TEST(EvaluateThresholds, Counts) {
  EXPECT_EQ(judged("total_requests>0").actual, 1000);
  EXPECT_EQ(judged("requests>0").actual, 1000);
  EXPECT_EQ(judged("successful_requests>0").actual, 990);
  EXPECT_EQ(judged("errors>0").actual, 10);
  EXPECT_EQ(judged("timeouts>0").actual, 3);
  EXPECT_EQ(judged("transport_errors>0").actual, 1);
  EXPECT_EQ(judged("non_expected_status>0").actual, 6);
  EXPECT_TRUE(passes("timeouts<=3"));
  EXPECT_FALSE(passes("timeouts==0"));
  EXPECT_FALSE(passes("errors!=10"));
}

// Each operator at, below and above the actual value (errors = 10).
TEST(EvaluateThresholds, OperatorsAtTheBoundary) {
  struct Case {
    const char* op;
    bool below;  // limit 9
    bool equal;  // limit 10
    bool above;  // limit 11
  };
  const Case cases[] = {{"<", false, false, true},  {"<=", false, true, true},
                        {">", true, false, false},  {">=", true, true, false},
                        {"==", false, true, false}, {"!=", true, false, true}};
  for (const Case& c : cases) {
    EXPECT_EQ(passes(std::string("errors") + c.op + "9"), c.below) << c.op;
    EXPECT_EQ(passes(std::string("errors") + c.op + "10"), c.equal) << c.op;
    EXPECT_EQ(passes(std::string("errors") + c.op + "11"), c.above) << c.op;
  }
}

TEST(EvaluateThresholds, EmptyRun) {
  const Tally empty;
  for (const char* text : {"p99<1s", "p99>=0us", "p99!=1ms", "avg_ok<1s", "min<1s"}) {
    const ThresholdResult result = judged(text, empty);
    EXPECT_TRUE(std::isnan(result.actual)) << text;
    EXPECT_FALSE(result.passed) << text;
  }
  EXPECT_TRUE(passes("error_rate<1%", empty));
  EXPECT_FALSE(passes("success_rate>0%", empty));
  EXPECT_TRUE(passes("timeout_rate==0", empty));
  EXPECT_FALSE(passes("rps>0", empty));
  EXPECT_TRUE(passes("total_requests==0", empty));
}

TEST(EvaluateThresholds, KeepsOrderAndThresholds) {
  const auto results =
      evaluate_thresholds(parsed_all({"p99<2ms", "errors==0"}), sample_totals(), kSeconds);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].threshold.expression, "p99<2ms");
  EXPECT_EQ(results[1].threshold.expression, "errors==0");
  EXPECT_TRUE(results[0].passed);
  EXPECT_FALSE(results[1].passed);
}

TEST(AllPassed, EmptyOrAllPassOrOneFail) {
  EXPECT_TRUE(all_passed({}));
  const Tally totals = sample_totals();
  EXPECT_TRUE(all_passed(evaluate_thresholds(parsed_all({"p99<2ms", "rps>=500"}), totals, 2)));
  EXPECT_FALSE(all_passed(evaluate_thresholds(parsed_all({"p99<2ms", "rps>500"}), totals, 2)));
}

std::string text_of(const std::vector<std::string>& thresholds, bool color,
                    const Tally& totals = sample_totals()) {
  std::ostringstream out;
  write_threshold_text(evaluate_thresholds(parsed_all(thresholds), totals, kSeconds), out, color);
  return out.str();
}

TEST(WriteThresholdText, PlainLinesAligned) {
  const std::string text = text_of({"p99<2ms", "error_rate<1%", "rps >= 500"}, false);
  EXPECT_EQ(text,
            "\nThresholds\n"
            "  PASS  p99<2ms         (p99 = 1.6ms)\n"
            "  FAIL  error_rate<1%   (error_rate = 1%)\n"
            "  PASS  rps >= 500      (rps = 500)\n");
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(WriteThresholdText, NoSamplesNote) {
  const std::string text = text_of({"p99_ok<1s"}, false, Tally{});
  EXPECT_NE(text.find("FAIL  p99_ok<1s   (p99_ok = n/a: no latency samples)"), std::string::npos)
      << text;
}

TEST(WriteThresholdText, ColorPaintsVerdicts) {
  const std::string text = text_of({"p99<2ms", "errors==0"}, true);
  EXPECT_NE(text.find("\x1b[32mPASS\x1b[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\x1b[31mFAIL\x1b[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\x1b[1mThresholds\x1b[0m"), std::string::npos) << text;
}

TEST(WriteThresholdText, NothingWithoutThresholds) {
  std::ostringstream out;
  write_threshold_text({}, out, true);
  EXPECT_EQ(out.str(), "");
}

json json_of(const std::vector<std::string>& thresholds, const Tally& totals = sample_totals()) {
  return threshold_json(evaluate_thresholds(parsed_all(thresholds), totals, kSeconds));
}

TEST(ThresholdJson, OneObjectPerThresholdWithTheDocumentedKeys) {
  const json j = json_of({"p99<200ms", "errors==0"});
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  const std::set<std::string> expected = {"expression", "metric", "passed",
                                          "actual",     "limit",  "unit"};
  for (const json& item : j) {
    std::set<std::string> keys;
    for (const auto& entry : item.items()) keys.insert(entry.key());
    EXPECT_EQ(keys, expected);
  }
}

TEST(ThresholdJson, ValuesInTheUsersUnits) {
  const json j = json_of({"p99<200ms", "error_rate<=1.5%", "rps>=500", "errors==0"});
  EXPECT_EQ(j[0]["expression"], "p99<200ms");
  EXPECT_EQ(j[0]["metric"], "p99");
  EXPECT_EQ(j[0]["passed"], true);
  EXPECT_EQ(j[0]["actual"].get<double>(), 1.6);
  EXPECT_EQ(j[0]["limit"].get<double>(), 200.0);
  EXPECT_EQ(j[0]["unit"], "ms");
  EXPECT_EQ(j[1]["actual"].get<double>(), 1.0);
  EXPECT_EQ(j[1]["limit"].get<double>(), 1.5);
  EXPECT_EQ(j[1]["unit"], "%");
  EXPECT_EQ(j[2]["actual"].get<double>(), 500.0);
  EXPECT_EQ(j[2]["unit"], "req/s");
  EXPECT_TRUE(j[3]["actual"].is_number_unsigned());
  EXPECT_EQ(j[3]["actual"], 10);
  EXPECT_EQ(j[3]["limit"], 0);
  EXPECT_EQ(j[3]["passed"], false);
  EXPECT_EQ(j[3]["unit"], "count");
}

TEST(ThresholdJson, NoSamplesIsNull) {
  const json j = json_of({"avg<1s"}, Tally{});
  EXPECT_TRUE(j[0]["actual"].is_null());
  EXPECT_EQ(j[0]["limit"].get<double>(), 1000.0);
  EXPECT_EQ(j[0]["passed"], false);
}

std::optional<ThresholdResult> failure(const std::vector<std::string>& thresholds,
                                       const Tally& totals) {
  return first_failure(parsed_all(thresholds), totals, kSeconds);
}

TEST(FirstFailure, NothingIsJudgedBeforeData) {
  const Tally empty;
  EXPECT_FALSE(failure(
      {"p99<1ms", "success_rate>99%", "rps>=500", "total_requests>=1000", "errors==5", "errors!=0"},
      empty));
}

TEST(FirstFailure, ReturnsTheFirstFinalFailureInOrder) {
  const auto result = failure({"p99<2ms", "errors<=5", "p99<1ms"}, sample_totals());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->threshold.expression, "errors<=5");
  EXPECT_EQ(result->actual, 10);
  EXPECT_FALSE(result->passed);
}

TEST(FirstFailure, CountsThatCanStillGrowAreNotFinal) {
  const Tally totals = sample_totals();
  EXPECT_FALSE(failure({"total_requests>=2000", "errors>10", "errors==20", "errors!=10"}, totals));
  EXPECT_TRUE(failure({"total_requests==500"}, totals));
  EXPECT_TRUE(failure({"timeouts<3"}, totals));
}

TEST(FirstFailure, LatencyRatesAndRpsAreJudgedAsTheyStand) {
  const Tally totals = sample_totals();
  EXPECT_TRUE(failure({"p99<1ms"}, totals));
  EXPECT_TRUE(failure({"error_rate<1%"}, totals));
  EXPECT_TRUE(failure({"rps>600"}, totals));
  EXPECT_FALSE(failure({"p99<2ms", "error_rate<=1%", "rps>=500", "errors<=10"}, totals));
}

}  // namespace
}  // namespace strest
