// The renderers of a CapacityResult: table, JSON and the chart's numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "capacity/capacity_chart.h"
#include "capacity/capacity_json.h"
#include "capacity/capacity_text.h"

namespace strest {
namespace {

CapacityStep step_at(double rate, double p99_us, CapacityPhase phase = CapacityPhase::kRamp) {
  CapacityStep step;
  step.phase = phase;
  step.offered_rps = rate;
  step.achieved_rps = rate;
  step.p50_us = p99_us / 2;
  step.p99_us = p99_us;
  step.service_p50_us = 1'000;
  step.service_p99_us = 2'000;
  const Threshold slo = *parse_threshold("p99<20ms");
  step.thresholds.push_back({slo, p99_us, p99_us < 20'000});
  return step;
}

// 100 and 200 pass, 400 fails, then 300 passes: knee 300, first failing 400.
CapacityResult searched() {
  CapacityResult result;
  result.target = "http://127.0.0.1:1/capacity/350";
  result.slos = {"p99<20ms"};
  result.settings.min_rate = 100;
  result.settings.max_rate = 1000;
  result.steps = {step_at(100, 3'000), step_at(200, 4'000), step_at(400, 250'000),
                  step_at(300, 6'000, CapacityPhase::kBisect)};
  result.knee = 3;
  result.first_failing = 2;
  result.outcome = CapacityOutcome::kKneeFound;
  return result;
}

TEST(CapacityText, ShowsEveryStepTheKneeAndTheBrokenSlo) {
  std::ostringstream out;
  write_capacity_text(searched(), out, false);
  const std::string text = out.str();
  EXPECT_NE(text.find("SLOs: p99<20ms"), std::string::npos) << text;
  EXPECT_NE(text.find("FAIL p99<20ms (p99 = 250ms)"), std::string::npos) << text;
  EXPECT_NE(text.find("bisect"), std::string::npos) << text;
  EXPECT_NE(text.find("Knee: 300 req/s"), std::string::npos) << text;
  EXPECT_NE(text.find("First failing: 400 req/s failed: p99<20ms (p99 = 250ms)"), std::string::npos)
      << text;
}

TEST(CapacityText, NoPassingRateSaysToLowerMinRate) {
  CapacityResult result = searched();
  result.steps = {step_at(100, 90'000)};
  result.knee.reset();
  result.first_failing = 0;
  result.outcome = CapacityOutcome::kMinRateFailed;
  std::ostringstream out;
  write_capacity_verdict(result, out, false);
  EXPECT_NE(out.str().find("No passing rate: --min-rate 100 req/s failed"), std::string::npos)
      << out.str();
}

TEST(CapacityJson, CarriesTheKneeTheFailureAndEveryStep) {
  const nlohmann::json json = capacity_json(searched());
  EXPECT_EQ(json["outcome"], "knee_found");
  EXPECT_EQ(json["knee_rps"], 300.0);
  EXPECT_EQ(json["first_failing"]["rate_rps"], 400.0);
  ASSERT_EQ(json["first_failing"]["broken"].size(), 1u);
  EXPECT_EQ(json["first_failing"]["broken"][0]["expression"], "p99<20ms");
  ASSERT_EQ(json["steps"].size(), 4u);
  EXPECT_EQ(json["steps"][2]["latency_ms"]["p99"], 250.0);
  EXPECT_EQ(json["steps"][2]["passed"], false);
  EXPECT_EQ(json["steps"][3]["phase"], "bisect");
  EXPECT_EQ(json["settings"]["precision_percent"], 5.0);
}

TEST(CapacityChart, PlotsStepsByRateAndMarksTheKnee) {
  const std::vector<ChartSpec> panels = capacity_chart_panels(searched());
  ASSERT_EQ(panels.size(), 2u);
  const ChartSpec& latency = panels[0];
  EXPECT_EQ(latency.x, (std::vector<double>{100, 200, 300, 400}));
  EXPECT_EQ(latency.lines[0].label, "p99");
  EXPECT_EQ(latency.lines[0].y, (std::vector<double>{3, 4, 6, 250}));
  ASSERT_EQ(latency.markers.size(), 2u);
  EXPECT_EQ(latency.markers[0].x, 300);
  EXPECT_EQ(latency.markers[0].label, "knee 300");
  EXPECT_EQ(latency.markers[1].x, 400);
  EXPECT_EQ(panels[1].y_label, "Errors (%)");
}

}  // namespace
}  // namespace strest
