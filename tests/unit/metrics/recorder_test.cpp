#include "metrics/recorder.h"

#include <gtest/gtest.h>

#include "metrics/collector.h"

namespace strest {
namespace {

// A closed-loop request issued and sent at `at`.
RequestTimes at(int64_t at_us) { return {.start_us = at_us, .sent_us = at_us}; }

std::vector<std::unique_ptr<TickTally>> drain_all(Recorder& recorder) {
  recorder.publish_all();
  std::vector<std::unique_ptr<TickTally>> ticks;
  recorder.drain(ticks);
  return ticks;
}

TEST(Recorder, KeepsEachRequestInTheTickItCompletedIn) {
  Recorder recorder;
  recorder.record_response(200, true, at(0), 100, 10);                // tick 0
  recorder.record_response(500, false, at(0), 100, 99'999);           // tick 0
  recorder.record_response(200, true, at(97'000), 100, 100'000);      // tick 1
  recorder.record_timeout(TimeoutKind::kRequest, at(0), 0, 250'000);  // tick 2
  const auto ticks = drain_all(recorder);
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[0]->tick, 0);
  EXPECT_EQ(ticks[0]->tally.completed(), 2u);
  EXPECT_EQ(ticks[0]->tally.status_counts[500], 1u);
  EXPECT_EQ(ticks[1]->tick, 1);
  EXPECT_EQ(ticks[1]->tally.latency_ok.total_count(), 1);
  EXPECT_EQ(ticks[1]->tally.latency_ok.max(), 3'000);
  EXPECT_EQ(ticks[2]->tick, 2);
  EXPECT_EQ(ticks[2]->tally.timeouts, 1u);
}

TEST(Recorder, IdleTicksAreNotPublished) {
  Recorder recorder;
  recorder.publish_if_tick_ended(500'000);
  recorder.publish_if_tick_ended(900'000);
  std::vector<std::unique_ptr<TickTally>> ticks;
  recorder.drain(ticks);
  EXPECT_TRUE(ticks.empty());
}

TEST(Recorder, RecycledBuffersComeBackEmpty) {
  Recorder recorder;
  recorder.record_response(200, true, at(0), 1, 5);
  recorder.publish_if_tick_ended(100'000);
  std::vector<std::unique_ptr<TickTally>> ticks;
  recorder.drain(ticks);
  ASSERT_EQ(ticks.size(), 1u);
  recorder.recycle(ticks);
  EXPECT_TRUE(ticks.empty());
  recorder.record_response(200, true, at(150'000), 1, 150'005);
  ticks = drain_all(recorder);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0]->tally.ok, 1u);
  EXPECT_EQ(ticks[0]->tally.latency_all.total_count(), 1);
}

TEST(Recorder, OpenLoopRecordsCorrectedLatencyAndServiceTime) {
  Recorder recorder(RecorderOptions{.open_loop = true});
  // Intended at 1 000 µs, sent at 5 000 µs (queued), answered at 5 200 µs.
  recorder.record_response(200, true, {.start_us = 1'000, .sent_us = 5'000}, 10, 5'200);
  const auto ticks = drain_all(recorder);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0]->tally.latency_all.max(), 4'200);
  EXPECT_EQ(ticks[0]->tally.latency_ok.max(), 4'200);
  EXPECT_EQ(ticks[0]->tally.service_all.max(), 200);
  EXPECT_EQ(ticks[0]->tally.service_ok.max(), 200);
}

TEST(Recorder, ClosedLoopLatencyIsFromTheSendAndHasNoServiceHistogram) {
  Recorder recorder;
  recorder.record_response(200, true, {.start_us = 1'000, .sent_us = 5'000}, 10, 5'200);
  const auto ticks = drain_all(recorder);
  EXPECT_EQ(ticks[0]->tally.latency_all.max(), 200);
  EXPECT_EQ(ticks[0]->tally.service_all.total_count(), 0);
}

TEST(Recorder, WarmupBoundaryIsByStartTime) {
  Recorder recorder(RecorderOptions{.warmup_us = 1'000'000});
  recorder.record_response(200, true, at(999'999), 10, 1'200'000);    // started in warmup
  recorder.record_response(200, true, at(1'000'000), 10, 1'200'000);  // first measured
  recorder.record_timeout(TimeoutKind::kRequest, at(10), 0, 1'300'000);
  recorder.record_transport_error(TransportError::kReset, at(2'000'000), 0, 2'000'001);
  recorder.record_cancelled(500'000, 3'000'000);
  recorder.record_cancelled(2'500'000, 3'000'000);
  Collector collector({&recorder});
  recorder.publish_all();
  collector.collect();
  const Tally& totals = collector.totals();
  EXPECT_EQ(totals.warmup_excluded, 3u);
  EXPECT_EQ(totals.ok, 1u);
  EXPECT_EQ(totals.timeouts, 0u);
  EXPECT_EQ(totals.transport_errors, 1u);
  EXPECT_EQ(totals.cancelled, 1u);
  EXPECT_EQ(totals.latency_all.total_count(), 1);
}

TEST(Recorder, ScheduleLagAccounting) {
  Recorder recorder(RecorderOptions{.warmup_us = 100, .open_loop = true});
  recorder.record_scheduled_start(50, 60);         // in warmup: not counted, not excluded
  recorder.record_scheduled_start(1'000, 1'000);   // on time
  recorder.record_scheduled_start(2'000, 2'999);   // 999 µs late: not a late start
  recorder.record_scheduled_start(3'000, 4'000);   // 1 ms late: a late start
  recorder.record_scheduled_start(4'000, 54'000);  // 50 ms late
  recorder.record_unsent(7, 60'000);
  const auto ticks = drain_all(recorder);
  ASSERT_EQ(ticks.size(), 1u);
  const Tally& t = ticks[0]->tally;
  EXPECT_EQ(t.scheduled_starts, 4u);
  EXPECT_EQ(t.lag_sum_us, 0 + 999 + 1'000 + 50'000);
  EXPECT_EQ(t.lag_max_us, 50'000);
  EXPECT_EQ(t.late_starts, 2u);
  EXPECT_EQ(t.unsent_at_end, 7u);
  EXPECT_EQ(t.warmup_excluded, 0u);
}

TEST(Collector, FoldsTicksIntoTotalsAndSeconds) {
  Recorder a;
  Recorder b;
  for (int64_t t = 0; t < 3'000'000; t += 10'000) a.record_response(200, true, at(t), 10, t + 100);
  for (int64_t t = 0; t < 2'000'000; t += 20'000) {
    b.record_transport_error(TransportError::kReset, at(t), 0, t);
  }
  b.record_cancelled(1'900'000, 2'000'000);
  a.publish_all();
  b.publish_all();
  Collector collector({&a, &b});
  collector.collect();
  const Tally& totals = collector.totals();
  EXPECT_EQ(totals.ok, 300u);
  EXPECT_EQ(totals.transport_errors, 100u);
  EXPECT_EQ(totals.transport_by_kind[static_cast<size_t>(TransportError::kReset)], 100u);
  EXPECT_EQ(totals.cancelled, 1u);
  ASSERT_EQ(collector.series().size(), 3u);
  EXPECT_EQ(collector.series()[0].completed, 150u);
  EXPECT_EQ(collector.series()[1].errors, 50u);
  EXPECT_EQ(collector.series()[2].completed, 100u);
  EXPECT_EQ(collector.series()[2].latency_count, 100u);
  EXPECT_DOUBLE_EQ(collector.snapshot(2'500'000).recent_rps, 150.0);
}

TEST(Collector, PerSecondPercentilesAndInFlight) {
  Recorder a;
  Recorder b;
  // Second 0: latencies 1..100 ms split over two workers; second 1: all 5 ms.
  for (int64_t i = 1; i <= 100; ++i) {
    Recorder& r = i % 2 == 0 ? a : b;
    r.record_response(200, i <= 90, at(0), 1, i * 9'000);  // completes within second 0
  }
  a.note_in_flight(7, 50'000);
  b.note_in_flight(5, 50'000);  // same tick: 12 in flight at once
  a.note_in_flight(9, 950'000);
  for (int64_t t = 1'000'000; t < 2'000'000; t += 100'000) {
    a.record_response(200, true, at(t - 5'000), 1, t);
  }
  a.publish_all();
  b.publish_all();
  Collector collector({&a, &b});
  collector.collect();
  collector.finalize_seconds_before(1);
  ASSERT_EQ(collector.series().size(), 2u);
  const SecondSample& first = collector.series()[0];
  EXPECT_GT(first.p50_us, 0);
  EXPECT_LE(first.p50_us, first.p90_us);
  EXPECT_LE(first.p90_us, first.p99_us);
  EXPECT_EQ(first.in_flight_max, 12u);
  EXPECT_EQ(collector.series()[1].p50_us, 0);  // not finalized yet
  collector.finalize_all();
  EXPECT_EQ(collector.series()[1].p50_us, 5'000);
  EXPECT_EQ(collector.series()[1].p99_ok_us, 5'000);
}

}  // namespace
}  // namespace strest

namespace strest {
namespace {

TEST(Collector, InFlightSumsEachWorkersLatestSample) {
  Recorder a, b;
  Collector collector({&a, &b});
  a.note_in_flight(3, 10);
  b.note_in_flight(4, 10);
  a.publish_all();
  b.publish_all();
  collector.collect();
  EXPECT_EQ(collector.snapshot(50'000).in_flight, 7u);
  a.note_in_flight(5, 150'000);  // worker a is a tick ahead of b
  a.publish_all();
  collector.collect();
  EXPECT_EQ(collector.snapshot(160'000).in_flight, 9u);
}

}  // namespace
}  // namespace strest
