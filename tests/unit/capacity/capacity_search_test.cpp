// The whole search against simulated services: each step is judged instantly from the rate.
#include "capacity/capacity_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "capacity/step_judge.h"

namespace strest {
namespace {

Threshold p99_below_20ms() {
  auto parsed = parse_threshold("p99<20ms");
  EXPECT_TRUE(parsed.ok());
  return *parsed;
}

// A service that holds p99<20ms up to `knee` requests a second and breaks it above; it degrades
// (falls behind) from `degrades_at` on, when that is set. Records every rate it was offered.
class SimulatedService {
 public:
  explicit SimulatedService(double knee, double degrades_at = 0)
      : knee_(knee), degrades_at_(degrades_at) {}

  std::optional<CapacityStep> operator()(double rate, CapacityPhase) {
    offered.push_back(rate);
    CapacityStep step;
    step.p99_us = rate <= knee_ ? 5'000 : 500'000;
    step.thresholds.push_back({p99_below_20ms(), step.p99_us, step.p99_us < 20'000});
    if (degrades_at_ > 0 && rate >= degrades_at_) step.degradation = "fell behind the schedule";
    return step;
  }

  std::vector<double> offered;

 private:
  double knee_;
  double degrades_at_;
};

CapacitySettings settings(double min_rate, double max_rate, double precision = 0.05) {
  CapacitySettings s;
  s.min_rate = min_rate;
  s.max_rate = max_rate;
  s.precision = precision;
  return s;
}

CapacityResult search(const CapacitySettings& s, SimulatedService& service) {
  return search_capacity(
      s, [&service](double rate, CapacityPhase phase) { return service(rate, phase); });
}

double knee_of(const CapacityResult& result) { return result.steps[*result.knee].offered_rps; }
double failing_of(const CapacityResult& result) {
  return result.steps[*result.first_failing].offered_rps;
}

TEST(CapacitySearch, FindsTheKneeWithinPrecisionOfTheTrueCapacity) {
  SimulatedService service(1234);
  const CapacityResult result = search(settings(10, 100'000), service);
  ASSERT_EQ(result.outcome, CapacityOutcome::kKneeFound);
  EXPECT_LE(knee_of(result), 1234);
  EXPECT_GT(failing_of(result), 1234);
  EXPECT_LE(std::abs(knee_of(result) - 1234) / 1234, 0.05);
  EXPECT_LE(failing_of(result) - knee_of(result), 0.05 * knee_of(result));
}

TEST(CapacitySearch, RampsByDoublingThenBisects) {
  SimulatedService service(500);
  const CapacityResult result = search(settings(100, 10'000, 0.1), service);
  const std::vector<double> expected = {100, 200, 400, 800, 600, 500, 550};
  EXPECT_EQ(service.offered, expected);
  EXPECT_EQ(result.steps[3].phase, CapacityPhase::kRamp);
  EXPECT_EQ(result.steps[4].phase, CapacityPhase::kBisect);
  EXPECT_EQ(knee_of(result), 500);
  EXPECT_EQ(failing_of(result), 550);
}

TEST(CapacitySearch, AFinerPrecisionTakesMoreStepsAndNarrowsMore) {
  SimulatedService coarse_service(777), fine_service(777);
  const CapacityResult coarse = search(settings(100, 10'000, 0.2), coarse_service);
  const CapacityResult fine = search(settings(100, 10'000, 0.01), fine_service);
  EXPECT_GT(fine.steps.size(), coarse.steps.size());
  EXPECT_LE(failing_of(coarse) - knee_of(coarse), 0.2 * knee_of(coarse));
  EXPECT_LE(failing_of(fine) - knee_of(fine), 0.01 * knee_of(fine));
  EXPECT_LE(std::abs(knee_of(fine) - 777) / 777, 0.01);
}

TEST(CapacitySearch, NeverOffersMoreThanMaxRate) {
  SimulatedService service(1e9);
  const CapacityResult result = search(settings(100, 1000), service);
  for (double rate : service.offered) EXPECT_LE(rate, 1000);
  EXPECT_EQ(service.offered.back(), 1000) << "the ramp ends exactly at --max-rate";
  EXPECT_EQ(result.outcome, CapacityOutcome::kMaxRateHeld);
  EXPECT_EQ(knee_of(result), 1000);
  EXPECT_FALSE(result.first_failing);
}

TEST(CapacitySearch, WhenMinRateFailsThereIsNoKneeAndNoMoreSteps) {
  SimulatedService service(50);
  const CapacityResult result = search(settings(100, 1000), service);
  EXPECT_EQ(result.outcome, CapacityOutcome::kMinRateFailed);
  EXPECT_EQ(service.offered, std::vector<double>{100});
  EXPECT_FALSE(result.knee);
  ASSERT_TRUE(result.first_failing);
  EXPECT_EQ(failing_of(result), 100);
}

TEST(CapacitySearch, ADegradedStepStopsTheRampEvenWhenItsSlosHeld) {
  // The SLO would hold up to 5000, but the target falls behind from 700 on.
  SimulatedService service(5000, 700);
  const CapacityResult result = search(settings(100, 100'000), service);
  for (double rate : service.offered) EXPECT_LE(rate, 800) << "no step above the first degraded";
  EXPECT_EQ(service.offered[3], 800);
  ASSERT_EQ(result.outcome, CapacityOutcome::kKneeFound);
  EXPECT_LT(knee_of(result), 700);
  EXPECT_GE(failing_of(result), 700);
  EXPECT_TRUE(broken_slos(result.steps[*result.first_failing]).empty());
}

TEST(CapacitySearch, AnInterruptedSearchKeepsTheStepsItRan) {
  int calls = 0;
  const CapacityResult result =
      search_capacity(settings(100, 10'000), [&calls](double, CapacityPhase) {
        if (++calls > 2) return std::optional<CapacityStep>();
        return std::optional<CapacityStep>(CapacityStep{});
      });
  EXPECT_EQ(result.outcome, CapacityOutcome::kInterrupted);
  EXPECT_EQ(result.steps.size(), 2u);
  EXPECT_EQ(knee_of(result), 200);
}

CapacityStep step_with(double due, uint64_t sent, uint64_t completed, uint64_t errors) {
  CapacityStep step;
  step.due = due;
  step.sent = sent;
  step.completed = completed;
  step.errors = errors;
  step.error_rate = completed == 0 ? 0 : static_cast<double>(errors) / completed;
  return step;
}

TEST(StepDegradation, FallingBehindTheScheduleDegrades) {
  const std::vector<Threshold> slos = {p99_below_20ms()};
  EXPECT_EQ(degradation_of(step_with(1000, 950, 950, 0), slos), "");
  const std::string behind = degradation_of(step_with(1000, 600, 600, 0), slos);
  EXPECT_NE(behind.find("600 of 1000 requests due were sent"), std::string::npos) << behind;
}

TEST(StepDegradation, ClimbingErrorsDegradeOnlyWhenNoSloJudgesErrors) {
  const std::vector<Threshold> latency_only = {p99_below_20ms()};
  EXPECT_EQ(degradation_of(step_with(1000, 1000, 1000, 10), latency_only), "");
  EXPECT_NE(degradation_of(step_with(1000, 1000, 1000, 100), latency_only), "");
  const std::vector<Threshold> with_errors = {p99_below_20ms(), *parse_threshold("error_rate<20%")};
  EXPECT_EQ(degradation_of(step_with(1000, 1000, 1000, 100), with_errors), "")
      << "error_rate<20% says what is tolerated";
}

TEST(StepJudge, TakesTheNumbersAndTheVerdictFromTheRun) {
  Plan plan;
  plan.load = LoadProfile{400, {}};
  plan.thresholds = {p99_below_20ms()};
  RunResult run;
  run.measured = std::chrono::seconds(2);
  run.scheduled_requests = 800;
  run.totals.ok = 790;
  run.totals.timeouts = 10;
  run.totals.scheduled_starts = 800;
  for (int i = 0; i < 790; ++i) run.totals.latency_all.record(i < 700 ? 3'000 : 30'000);
  for (int i = 0; i < 790; ++i) run.totals.service_all.record(2'000);
  const CapacityStep step = judge_step(run, plan);
  EXPECT_EQ(step.offered_rps, 400);
  EXPECT_DOUBLE_EQ(step.achieved_rps, 400);
  EXPECT_EQ(step.errors, 10u);
  EXPECT_NEAR(step.p50_us, 3'000, 30);
  EXPECT_NEAR(step.p99_us, 30'000, 300);
  EXPECT_NEAR(step.service_p99_us, 2'000, 20);
  ASSERT_EQ(step.thresholds.size(), 1u);
  EXPECT_FALSE(step.thresholds[0].passed);
  EXPECT_FALSE(step.passed());
  EXPECT_EQ(step.degradation, "");
}

}  // namespace
}  // namespace strest
