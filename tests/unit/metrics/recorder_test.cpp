#include "metrics/recorder.h"

#include <gtest/gtest.h>

#include "metrics/collector.h"

namespace strest {
namespace {

TEST(Recorder, KeepsEachRequestInTheTickItCompletedIn) {
  Recorder recorder;
  recorder.record_response(200, true, 1'000, 100, 10);         // tick 0
  recorder.record_response(500, false, 2'000, 100, 99'999);    // tick 0
  recorder.record_response(200, true, 3'000, 100, 100'000);    // tick 1
  recorder.record_timeout(TimeoutKind::kRequest, 0, 250'000);  // tick 2
  recorder.publish_all();
  std::vector<std::unique_ptr<TickTally>> ticks;
  recorder.drain(ticks);
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[0]->tick, 0);
  EXPECT_EQ(ticks[0]->tally.completed(), 2u);
  EXPECT_EQ(ticks[0]->tally.status_counts[500], 1u);
  EXPECT_EQ(ticks[1]->tick, 1);
  EXPECT_EQ(ticks[1]->tally.latency_ok.total_count(), 1);
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
  recorder.record_response(200, true, 5, 1, 0);
  recorder.publish_if_tick_ended(100'000);
  std::vector<std::unique_ptr<TickTally>> ticks;
  recorder.drain(ticks);
  ASSERT_EQ(ticks.size(), 1u);
  recorder.recycle(ticks);
  EXPECT_TRUE(ticks.empty());
  recorder.record_response(200, true, 5, 1, 150'000);
  recorder.publish_all();
  recorder.drain(ticks);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0]->tally.ok, 1u);
  EXPECT_EQ(ticks[0]->tally.latency_all.total_count(), 1);
}

TEST(Collector, FoldsTicksIntoTotalsAndSeconds) {
  Recorder a;
  Recorder b;
  for (int64_t t = 0; t < 3'000'000; t += 10'000) a.record_response(200, true, 100, 10, t);
  for (int64_t t = 0; t < 2'000'000; t += 20'000)
    b.record_transport_error(TransportError::kReset, 0, t);
  b.record_cancelled(4, 2'000'000);
  a.publish_all();
  b.publish_all();
  Collector collector({&a, &b});
  collector.collect();
  const Tally& totals = collector.totals();
  EXPECT_EQ(totals.ok, 300u);
  EXPECT_EQ(totals.transport_errors, 100u);
  EXPECT_EQ(totals.transport_by_kind[static_cast<size_t>(TransportError::kReset)], 100u);
  EXPECT_EQ(totals.cancelled, 4u);
  ASSERT_EQ(collector.series().size(), 3u);
  EXPECT_EQ(collector.series()[0].completed, 150u);
  EXPECT_EQ(collector.series()[1].errors, 50u);
  EXPECT_EQ(collector.series()[2].completed, 100u);
  EXPECT_EQ(collector.series()[2].latency_count, 100u);
  EXPECT_DOUBLE_EQ(collector.snapshot(2'500'000).recent_rps, 150.0);
}

}  // namespace
}  // namespace strest
