// The interactive replay's timeline: any moment shows what replay_run folds up to it, and
// going back starts over to the same results.
#include "replay/replay_timeline.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "in_temp_dir_test.h"
#include "metrics/run_log_format.h"
#include "run_log_file.h"

namespace strest {
namespace {

// 30 ok requests, one every 100 ms from 50 ms, each taking 2 ms; a timeout at 1.5 s.
void write_recording(const std::string& path) {
  std::vector<RunLogRecord> records;
  for (uint64_t i = 0; i < 30; ++i) {
    records.push_back(RunLogRecord{.sequence = i,
                                   .start_us = 50'000 + static_cast<int64_t>(i) * 100'000,
                                   .latency_us = 2'000,
                                   .service_us = 2'000,
                                   .status = 200});
  }
  records.push_back(RunLogRecord{.sequence = 30,
                                 .start_us = 1'000'000,
                                 .latency_us = 500'000,
                                 .outcome = LoggedOutcome::kTimeout,
                                 .error_kind = 1});
  write_run_log_file(path, RunLogHeader{}, records);
}

using ReplayTimelineTest = InTempDirTest;

ReplayOptions options_for(const std::string& path) {
  ReplayOptions options;
  options.source = path;
  return options;
}

TEST_F(ReplayTimelineTest, ShowsWhatCompletedBeforeEachMoment) {
  write_recording("strest-run-1-1-0.srl");
  auto loaded = ReplayTimeline::load(options_for("strest-run-1-1-0.srl"));
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  ReplayTimeline& timeline = **loaded;
  // A version 1 log counts from its first request (50 ms) to the last completion (2.952 s).
  EXPECT_EQ(timeline.origin_us(), 50'000);
  EXPECT_EQ(timeline.duration_us(), 2'902'000);
  EXPECT_EQ(timeline.at(0).totals->completed(), 0u);
  // By replay time 1 s (run time 1.05 s): the requests started at 50..950 ms.
  EXPECT_EQ(timeline.at(1'000'000).totals->ok, 10u);
  const Snapshot later = timeline.at(1'600'000);
  EXPECT_EQ(later.totals->ok, 16u);
  EXPECT_EQ(later.totals->timeouts, 1u);  // it ended at 1.5 s, where the live run counted it
  EXPECT_EQ(timeline.at(timeline.duration_us() + 1).totals->ok, 30u);
}

TEST_F(ReplayTimelineTest, GoingBackStartsOverToTheSameResults) {
  write_recording("strest-run-1-1-0.srl");
  auto loaded = ReplayTimeline::load(options_for("strest-run-1-1-0.srl"));
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  ReplayTimeline& timeline = **loaded;
  const uint64_t forward = timeline.at(2'000'000).totals->ok;
  timeline.at(2'900'000);
  const Snapshot back = timeline.at(2'000'000);
  EXPECT_EQ(back.totals->ok, forward);
  EXPECT_EQ(back.totals->latency_ok.total_count(), static_cast<int64_t>(forward));
  EXPECT_EQ(back.series->size(), 2u);  // seconds 0 and 1
}

TEST_F(ReplayTimelineTest, AMissingRecordingIsAnError) {
  auto loaded = ReplayTimeline::load(options_for("nothing-here.srl"));
  EXPECT_FALSE(loaded.ok());
}

}  // namespace
}  // namespace strest
