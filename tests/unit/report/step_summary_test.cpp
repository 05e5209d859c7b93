// The summary's per-step rows for scenario runs, in text and JSON.
#include "report/step_summary.h"

#include <gtest/gtest.h>

#include <sstream>

#include "report/summary_json.h"
#include "report/summary_text.h"

namespace strest {
namespace {

// Two steps: "login" with 10 ok and 3 assert failures, "profile" with 8 ok, 1 non-expected,
// 1 timeout and 1 transport error.
RunResult scenario_run() {
  RunResult run;
  run.target = "http://127.0.0.1:8080";
  run.wall = std::chrono::microseconds(1'000'000);
  run.step_names = {"login", "profile"};
  run.assert_details = {"assert_status 200, got 401", ""};
  Tally& t = run.totals;
  t.steps.resize(2);
  StepTally& login = t.steps[0];
  login.ok = 10;
  login.assert_failures = 3;
  login.latency_all.record_n(1'000, 13);
  StepTally& profile = t.steps[1];
  profile.ok = 8;
  profile.non_expected_status = 1;
  profile.timeouts = 1;
  profile.transport_errors = 1;
  profile.latency_all.record_n(5'000, 9);
  t.ok = 18;
  t.assert_failures = 3;
  t.non_expected_status = 1;
  t.timeouts = 1;
  t.transport_errors = 1;
  t.latency_all.record_n(1'000, 13);
  t.latency_all.record_n(5'000, 9);
  t.iterations_passed = 8;
  t.iterations_failed = 5;
  return run;
}

std::string render_text(const RunResult& run) {
  std::ostringstream out;
  write_summary_text(run, Plan{}, out, false);
  return out.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string line_starting(const std::string& text, const std::string& label) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos && line.compare(start, label.size(), label) == 0) return line;
  }
  return "";
}

TEST(StepSummaryText, ATableRowPerStep) {
  const std::string text = render_text(scenario_run());
  ASSERT_TRUE(contains(text, "\nSteps\n"));
  const std::string login = line_starting(text, "login ");
  EXPECT_TRUE(contains(login, "13")) << login;
  EXPECT_TRUE(contains(login, "1.000")) << login;  // p50 ms
  const std::string profile = line_starting(text, "profile ");
  EXPECT_TRUE(contains(profile, "11")) << profile;
  EXPECT_TRUE(contains(profile, "5.000")) << profile;
  EXPECT_TRUE(contains(text, "login: assert_status 200, got 401"));
}

TEST(StepSummaryText, TheErrorSectionNamesTheStepOfTheAssertFailures) {
  const std::string text = render_text(scenario_run());
  const std::string row = line_starting(text, "Assert failed");
  EXPECT_TRUE(contains(row, "3")) << row;
  EXPECT_TRUE(contains(row, "(login: assert_status 200, got 401)")) << row;
  EXPECT_TRUE(contains(line_starting(text, "Iterations passed"), "8"));
  EXPECT_TRUE(contains(line_starting(text, "Iterations failed"), "5"));
}

TEST(StepSummaryText, PlainRunsHaveNoSteps) {
  RunResult run;
  run.totals.ok = 5;
  const std::string text = render_text(run);
  EXPECT_FALSE(contains(text, "\nSteps\n"));
  EXPECT_EQ(line_starting(text, "Assert failed"), "");
  EXPECT_EQ(line_starting(text, "Iterations"), "");
}

TEST(StepSummaryJson, StepsAndIterations) {
  const nlohmann::json json = summary_json(scenario_run(), Plan{});
  ASSERT_TRUE(json.contains("steps"));
  ASSERT_EQ(json["steps"].size(), 2u);
  const nlohmann::json& login = json["steps"][0];
  EXPECT_EQ(login["name"], "login");
  EXPECT_EQ(login["requests"], 13);
  EXPECT_EQ(login["ok"], 10);
  EXPECT_EQ(login["assert_failed"], 3);
  EXPECT_EQ(login["assert_detail"], "assert_status 200, got 401");
  EXPECT_DOUBLE_EQ(login["latency_ms"]["p50"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(login["latency_ms"]["max"].get<double>(), 1.0);
  // Step histograms keep 2 significant digits: the mean is within 1 %.
  EXPECT_NEAR(login["latency_ms"]["mean"].get<double>(), 1.0, 0.01);
  const nlohmann::json& profile = json["steps"][1];
  EXPECT_EQ(profile["non_expected_status"], 1);
  EXPECT_EQ(profile["timeouts"], 1);
  EXPECT_EQ(profile["transport_errors"], 1);
  EXPECT_EQ(profile["assert_detail"], "");
  EXPECT_EQ(json["iterations"]["passed"], 8);
  EXPECT_EQ(json["iterations"]["failed"], 5);
  EXPECT_EQ(json["assert_failed"], 3);
  // Rows add up to the totals.
  uint64_t requests = 0;
  for (const auto& step : json["steps"]) requests += step["requests"].get<uint64_t>();
  EXPECT_EQ(requests, json["total_requests"].get<uint64_t>());
}

TEST(StepSummaryJson, PlainRunsHaveNoStepsKey) {
  const nlohmann::json json = summary_json(RunResult{}, Plan{});
  EXPECT_FALSE(json.contains("steps"));
  EXPECT_FALSE(json.contains("iterations"));
  EXPECT_FALSE(json.contains("assert_failed"));
}

TEST(StepSummary, UnnamedStepsAreNumbered) {
  RunResult run;
  run.totals.steps.resize(2);
  run.step_names = {"first"};
  EXPECT_EQ(step_name(run, 0), "first");
  EXPECT_EQ(step_name(run, 1), "step 2");
  EXPECT_EQ(assert_failure_note(run), "");
}

}  // namespace
}  // namespace strest
