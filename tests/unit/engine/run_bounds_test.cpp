#include "engine/run_bounds.h"

#include <gtest/gtest.h>

#include <csignal>

#include "engine/stop_signal.h"

namespace strest {
namespace {

using std::chrono::seconds;

TEST(DeadlineOf, IsTheDurationOrTheDefault) {
  Plan plan;
  EXPECT_EQ(deadline_of(plan), 10'000'000);
  plan.duration = seconds(3);
  EXPECT_EQ(deadline_of(plan), 3'000'000);
}

TEST(DeadlineOf, ARequestCountAloneRunsUntilTheCount) {
  Plan plan;
  plan.max_requests = 100;
  EXPECT_EQ(deadline_of(plan), INT64_MAX);
  plan.duration = seconds(2);  // whichever comes first
  EXPECT_EQ(deadline_of(plan), 2'000'000);
}

TEST(StopReasonOf, ASignalOrAThresholdWinsOverTheCount) {
  Plan plan;
  plan.max_requests = 10;
  EXPECT_EQ(stop_reason_of(plan, 10, kStopForThreshold), StopReason::kThreshold);
  EXPECT_EQ(stop_reason_of(plan, 10, SIGINT), StopReason::kSignal);
  EXPECT_EQ(stop_reason_of(plan, 10, 0), StopReason::kRequestCount);
  EXPECT_EQ(stop_reason_of(plan, 9, 0), StopReason::kDuration);
}

TEST(StopReasonOf, WithoutACountItIsTheDuration) {
  EXPECT_EQ(stop_reason_of(Plan{}, 1'000'000, 0), StopReason::kDuration);
}

TEST(FactsOf, ClosedLoopHasNoSchedule) {
  Plan plan;
  plan.warmup = seconds(2);
  const RunFacts facts = facts_of(plan, nullptr, 5'000'000, 10, 0);
  EXPECT_EQ(facts.wall_us, 5'000'000);
  EXPECT_EQ(facts.warmup_us, 2'000'000);
  EXPECT_FALSE(facts.open_loop);
  EXPECT_EQ(facts.scheduled_requests, 0.0);
  EXPECT_EQ(facts.stop_reason, StopReason::kDuration);
}

TEST(FactsOf, OpenLoopCountsWhatTheScheduleAskedForAfterTheWarmup) {
  Plan plan;
  plan.duration = seconds(4);
  plan.warmup = seconds(1);
  const RateSchedule schedule(LoadProfile{.start_rps = 100, .stages = {}});
  // The workers stopped a little after the deadline: the schedule ends at the deadline.
  const RunFacts facts = facts_of(plan, &schedule, 4'100'000, 0, 0);
  EXPECT_TRUE(facts.open_loop);
  EXPECT_EQ(facts.scheduled_requests, 300.0);
  EXPECT_DOUBLE_EQ(facts.target_rps, 100.0);
}

TEST(FactsOf, ARequestCountCapsWhatWasScheduled) {
  Plan plan;
  plan.duration = seconds(4);
  plan.max_requests = 50;
  const RateSchedule schedule(LoadProfile{.start_rps = 100, .stages = {}});
  const RunFacts facts = facts_of(plan, &schedule, 4'000'000, 50, 0);
  EXPECT_EQ(facts.scheduled_requests, 50.0);
  EXPECT_DOUBLE_EQ(facts.target_rps, 12.5);
  EXPECT_EQ(facts.stop_reason, StopReason::kRequestCount);
}

TEST(FactsOf, StoppedWithinTheWarmupHasNoScheduleWindow) {
  Plan plan;
  plan.warmup = seconds(2);
  const RateSchedule schedule(LoadProfile{.start_rps = 100, .stages = {}});
  const RunFacts facts = facts_of(plan, &schedule, 1'000'000, 0, SIGINT);
  EXPECT_EQ(facts.scheduled_requests, 0.0);
  EXPECT_EQ(facts.stop_reason, StopReason::kSignal);
  EXPECT_EQ(facts.signal, SIGINT);
}

}  // namespace
}  // namespace strest
