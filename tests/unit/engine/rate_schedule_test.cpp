#include "engine/rate_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/connection_ramp.h"
#include "engine/open_loop_pacer.h"

namespace strest {
namespace {

using std::chrono::seconds;

LoadProfile constant(double rps) { return LoadProfile{.start_rps = rps, .stages = {}}; }

TEST(RateSchedule, ConstantRateIsEvenlySpaced) {
  const RateSchedule schedule(constant(1000));
  EXPECT_EQ(schedule.due_us(0), 0);
  EXPECT_EQ(schedule.due_us(1), 1'000);
  EXPECT_EQ(schedule.due_us(999), 999'000);
  EXPECT_EQ(schedule.due_us(10'000), 10'000'000);
  EXPECT_DOUBLE_EQ(schedule.expected_count(2'500'000), 2500.0);
  EXPECT_EQ(schedule.due_before(1'000'000), 1000u);  // 0 .. 999 are due before 1 s
  EXPECT_EQ(schedule.due_before(1'000'001), 1001u);
  EXPECT_DOUBLE_EQ(schedule.rate_at(7'000'000), 1000.0);
}

TEST(RateSchedule, FractionalRates) {
  const RateSchedule schedule(constant(0.5));
  EXPECT_EQ(schedule.due_us(1), 2'000'000);
  EXPECT_EQ(schedule.due_us(3), 6'000'000);
}

TEST(RateSchedule, LinearRampFollowsTheIntegral) {
  // 0 -> 1000 req/s over 1 s: N(t) = 500 t^2, so request i is due at sqrt(i / 500) s.
  const RateSchedule schedule({.start_rps = 0, .stages = {{seconds(1), 1000}}});
  for (uint64_t i : {1ull, 2ull, 125ull, 320ull, 499ull}) {
    const double expected = std::sqrt(static_cast<double>(i) / 500.0) * 1e6;
    EXPECT_NEAR(static_cast<double>(schedule.due_us(i)), expected, 1.0) << i;
  }
  EXPECT_EQ(schedule.due_us(500), 1'000'000);   // the ramp's end
  EXPECT_EQ(schedule.due_us(1500), 2'000'000);  // then 1000 req/s holds
  EXPECT_DOUBLE_EQ(schedule.rate_at(500'000), 500.0);
}

TEST(RateSchedule, ThreeStageProfileCountsPerSecond) {
  // 500 -> 1500 over 1 s, hold 1500 for 1 s, 1500 -> 500 over 1 s.
  const RateSchedule schedule(
      {.start_rps = 500, .stages = {{seconds(1), 1500}, {seconds(1), 1500}, {seconds(1), 500}}});
  EXPECT_DOUBLE_EQ(schedule.expected_count(1'000'000), 1000.0);
  EXPECT_DOUBLE_EQ(schedule.expected_count(2'000'000), 2500.0);
  EXPECT_DOUBLE_EQ(schedule.expected_count(3'000'000), 3500.0);
  EXPECT_DOUBLE_EQ(schedule.rate_at(2'500'000), 1000.0);
  // Every request's due time is consistent with the count: N(due(i)) == i.
  for (uint64_t i = 0; i < 3500; i += 7) {
    EXPECT_NEAR(schedule.expected_count(schedule.due_us(i)), static_cast<double>(i), 0.01) << i;
  }
}

TEST(RateSchedule, DueTimesNeverGoBackwards) {
  const RateSchedule schedule(
      {.start_rps = 2000, .stages = {{seconds(1), 10}, {seconds(2), 10}, {seconds(1), 3000}}});
  int64_t previous = -1;
  for (uint64_t i = 0; i < 10'000; ++i) {
    const int64_t due = schedule.due_us(i);
    ASSERT_GE(due, previous) << i;
    previous = due;
  }
}

TEST(RateSchedule, ZeroRateAfterTheStagesMeansNoMoreRequests) {
  const RateSchedule schedule({.start_rps = 100, .stages = {{seconds(1), 0}}});
  EXPECT_DOUBLE_EQ(schedule.expected_count(5'000'000), 50.0);
  EXPECT_LT(schedule.due_us(49), 1'000'001);
  EXPECT_EQ(schedule.due_us(50), RateSchedule::kNever);
  EXPECT_EQ(schedule.due_us(1'000), RateSchedule::kNever);
}

TEST(RateSchedule, PauseBetweenStagesSkipsTheQuietTime) {
  // 100 req/s down to 0 over 1 s (50 requests), 0 for 1 s, then up to 100 over 1 s.
  const RateSchedule schedule(
      {.start_rps = 100, .stages = {{seconds(1), 0}, {seconds(1), 0}, {seconds(1), 100}}});
  EXPECT_EQ(schedule.due_us(50), 2'000'000);
  EXPECT_GT(schedule.due_us(51), 2'000'000);
}

TEST(OpenLoopPacer, WorkersInterleaveTheSchedule) {
  const RateSchedule schedule(constant(1000));
  OpenLoopPacer first(schedule, 0, 2);
  OpenLoopPacer second(schedule, 1, 2);
  EXPECT_EQ(first.next_due_us(), 0);
  EXPECT_EQ(second.next_due_us(), 1'000);
  EXPECT_TRUE(first.due(0));
  EXPECT_FALSE(second.due(999));
  const ScheduledRequest a = first.take();
  const ScheduledRequest b = first.take();
  EXPECT_EQ(a.sequence, 0u);
  EXPECT_EQ(b.sequence, 2u);
  EXPECT_EQ(b.due_us, 2'000);
  EXPECT_EQ(second.take().sequence, 1u);
  EXPECT_EQ(first.next_due_us(), 4'000);
}

TEST(OpenLoopPacer, BacklogCountsDueRequestsNotTaken) {
  const RateSchedule schedule(constant(1000));
  OpenLoopPacer first(schedule, 0, 2);
  OpenLoopPacer second(schedule, 1, 2);
  // Before 10 ms, requests 0..9 are due: 0,2,4,6,8 for the first worker, 1,3,5,7,9 for the other.
  EXPECT_EQ(first.backlog_at(10'000), 5u);
  EXPECT_EQ(second.backlog_at(10'000), 5u);
  first.take();
  first.take();
  EXPECT_EQ(first.backlog_at(10'000), 3u);
  EXPECT_EQ(second.backlog_at(9'500), 5u);  // request 9 is due at 9 ms
  EXPECT_EQ(second.backlog_at(9'000), 4u);  // ...but not before it
  EXPECT_EQ(OpenLoopPacer(schedule, 1, 2).backlog_at(0), 0u);
}

TEST(ConnectionRamp, AllAtOnceWithoutSpawnRate) {
  const ConnectionRamp ramp(50, std::nullopt, 1'000'000);
  EXPECT_EQ(ramp.allowed_at(0), 50u);
  EXPECT_EQ(ramp.next_step_us(0), INT64_MAX);
}

TEST(ConnectionRamp, GrowsBySpawnRateEachInterval) {
  const ConnectionRamp ramp(23, 5, 100'000);
  EXPECT_EQ(ramp.allowed_at(0), 5u);
  EXPECT_EQ(ramp.allowed_at(99'999), 5u);
  EXPECT_EQ(ramp.allowed_at(100'000), 10u);
  EXPECT_EQ(ramp.allowed_at(400'000), 23u);  // capped at the total
  EXPECT_EQ(ramp.next_step_us(150'000), 200'000);
  EXPECT_EQ(ramp.next_step_us(400'000), INT64_MAX);
}

TEST(ConnectionRamp, WorkerSharesSumToTheAllowance) {
  const ConnectionRamp ramp(50, 7, 1'000);
  for (int64_t t = 0; t < 10'000; t += 500) {
    uint32_t sum = 0;
    for (uint32_t w = 0; w < 3; ++w) sum += ramp.allowed_for_worker(t, w, 3);
    EXPECT_EQ(sum, ramp.allowed_at(t)) << t;
  }
}

}  // namespace
}  // namespace strest
