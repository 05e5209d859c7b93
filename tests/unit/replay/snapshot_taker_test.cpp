// Replay snapshots as an observer of the one Collector: taken at their due times, each with the
// requests completed since the snapshot window's start.
#include "replay/snapshot_taker.h"

#include <gtest/gtest.h>

#include "metrics/recorder.h"

namespace strest {
namespace {

// Drives a recorder and collector the way replay_run does: observers are called at each due
// time before a later request is fed.
class SnapshotTakerTest : public ::testing::Test {
 protected:
  SnapshotTakerTest() : collector_({&recorder_}) { plan_.replay.emplace(); }

  void feed_ok_at(int64_t done_us) {
    while (taker_ && done_us >= taker_->next_due_us()) notify(taker_->next_due_us());
    recorder_.record_response(200, true, {.start_us = done_us - 100, .sent_us = done_us - 100}, 1,
                              done_us);
  }
  void notify(int64_t at_us) {
    recorder_.publish_all();
    collector_.collect();
    taker_->on_snapshot(collector_.snapshot(at_us));
  }
  std::vector<nlohmann::json> finish() {
    recorder_.publish_all();
    collector_.collect();
    taker_->on_finish(collector_.snapshot(0));
    return taker_->take_all();
  }

  Plan plan_;
  Recorder recorder_;
  Collector collector_;
  std::optional<SnapshotTaker> taker_;
};

TEST_F(SnapshotTakerTest, EveryIntervalFromTheStartUpToTheEnd) {
  plan_.replay->snapshot_interval = Micros(500'000);
  taker_.emplace(plan_, collector_, RunFacts{.target = "t"}, 0, 1'200'000);
  for (int64_t done = 100'000; done < 1'400'000; done += 100'000) feed_ok_at(done);
  const auto snapshots = finish();
  ASSERT_EQ(snapshots.size(), 3u);  // 500 ms, 1000 ms and the window's end
  EXPECT_EQ(snapshots[0]["snapshot_end_ms"], 500);
  EXPECT_EQ(snapshots[0]["total_requests"], 4);  // 100 to 400 ms
  EXPECT_EQ(snapshots[1]["snapshot_end_ms"], 1000);
  EXPECT_EQ(snapshots[1]["total_requests"], 9);
  EXPECT_EQ(snapshots[2]["snapshot_end_ms"], 1200);
  EXPECT_EQ(snapshots[2]["total_requests"], 11);
  EXPECT_EQ(snapshots[2]["duration_ms"], 1200);
}

TEST_F(SnapshotTakerTest, ALaterStartLeavesOutWhatCompletedBeforeIt) {
  plan_.replay->snapshot_start = Micros(1'000'000);
  plan_.replay->snapshot_end = Micros(2'000'000);
  taker_.emplace(plan_, collector_, RunFacts{.target = "t"}, 0, 3'000'000);
  for (int64_t done = 100'000; done < 2'500'000; done += 100'000) feed_ok_at(done);
  const auto snapshots = finish();
  ASSERT_EQ(snapshots.size(), 1u);
  EXPECT_EQ(snapshots[0]["snapshot_start_ms"], 1000);
  EXPECT_EQ(snapshots[0]["snapshot_end_ms"], 2000);
  EXPECT_EQ(snapshots[0]["total_requests"], 10);  // 1000 to 1900 ms
  ASSERT_EQ(snapshots[0]["series"].size(), 1u);   // numbered from the snapshot's start
  EXPECT_EQ(snapshots[0]["series"][0]["second"], 0);
  EXPECT_EQ(snapshots[0]["series"][0]["completed"], 10);
}

}  // namespace
}  // namespace strest
