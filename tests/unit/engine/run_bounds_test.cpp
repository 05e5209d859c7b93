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

TEST(DescribeWindow, TheWarmupIsLeftOutOfTheMeasuredWindow) {
  Plan plan;
  plan.warmup = seconds(2);
  RunResult result;
  describe_window(plan, nullptr, 5'000'000, result);
  EXPECT_EQ(result.measured.count(), 3'000'000);
  EXPECT_FALSE(result.open_loop);
  EXPECT_EQ(result.scheduled_requests, 0.0);

  describe_window(plan, nullptr, 1'000'000, result);  // stopped within the warmup
  EXPECT_EQ(result.measured.count(), 0);
}

TEST(DescribeWindow, OpenLoopCountsWhatTheScheduleAskedForAfterTheWarmup) {
  Plan plan;
  plan.duration = seconds(4);
  plan.warmup = seconds(1);
  const RateSchedule schedule(LoadProfile{.start_rps = 100, .stages = {}});
  RunResult result;
  // The workers stopped a little after the deadline: the schedule ends at the deadline.
  describe_window(plan, &schedule, 4'100'000, result);
  EXPECT_TRUE(result.open_loop);
  EXPECT_EQ(result.scheduled_requests, 300.0);
  EXPECT_DOUBLE_EQ(result.target_rps, 100.0);
}

TEST(DescribeWindow, ARequestCountCapsWhatWasScheduled) {
  Plan plan;
  plan.duration = seconds(4);
  plan.max_requests = 50;
  const RateSchedule schedule(LoadProfile{.start_rps = 100, .stages = {}});
  RunResult result;
  describe_window(plan, &schedule, 4'000'000, result);
  EXPECT_EQ(result.scheduled_requests, 50.0);
  EXPECT_DOUBLE_EQ(result.target_rps, 12.5);
}

}  // namespace
}  // namespace strest
