#include "compare/run_sample.h"

#include <gtest/gtest.h>

#include "compare/block_bootstrap.h"
#include "metrics/hdr_histogram.h"

namespace strest {
namespace {

RunLogRecord record_at(int64_t start_us, uint32_t latency_us,
                       LoggedOutcome outcome = LoggedOutcome::kOk) {
  RunLogRecord record;
  record.start_us = start_us;
  record.latency_us = latency_us;
  record.service_us = latency_us;
  record.outcome = outcome;
  record.status = outcome == LoggedOutcome::kOk ? 200 : 0;
  return record;
}

uint64_t responses_of(const RunBlock& block) {
  uint64_t count = 0;
  for (const BucketCount& bucket : block.latency) count += bucket.count;
  return count;
}

TEST(RunSampleTest, BlocksHoldTheRequestsThatStartedInThem) {
  RunSampleBuilder builder;
  builder.add(record_at(50'000, 100));
  builder.add(record_at(250'000, 300));  // block 2; block 1 is empty but kept
  builder.add(record_at(260'000, 400, LoggedOutcome::kTimeout));
  const RunSample sample = builder.finish("x", std::nullopt, false);
  ASSERT_EQ(sample.blocks.size(), 3u);
  EXPECT_EQ(sample.block_us, kMinRunBlockUs);
  EXPECT_EQ(sample.blocks[0].completed, 1u);
  EXPECT_EQ(sample.blocks[1].completed, 0u);
  EXPECT_EQ(sample.blocks[2].completed, 2u);
  EXPECT_EQ(sample.blocks[2].errors, 1u);
  // A timeout is a request and an error, never a latency sample.
  EXPECT_EQ(responses_of(sample.blocks[2]), 1u);
  EXPECT_DOUBLE_EQ(sample.blocks[2].latency_sum_us, 300.0);
}

TEST(RunSampleTest, NonExpectedStatusAndFailedAssertsAreResponsesAndErrors) {
  RunSampleBuilder builder;
  builder.add(record_at(0, 100, LoggedOutcome::kNonExpectedStatus));
  builder.add(record_at(0, 200, LoggedOutcome::kAssertFailed));
  builder.add(record_at(0, 300, LoggedOutcome::kTransport));
  const RunSample sample = builder.finish("x", std::nullopt, false);
  ASSERT_EQ(sample.blocks.size(), 1u);
  EXPECT_EQ(sample.blocks[0].errors, 3u);
  EXPECT_EQ(responses_of(sample.blocks[0]), 2u);
}

TEST(RunSampleTest, EventRecordsAreIgnored) {
  RunSampleBuilder builder;
  builder.add(record_at(0, 100));
  builder.add(record_at(10'000'000, 0, LoggedOutcome::kEvent));
  const RunSample sample = builder.finish("x", std::nullopt, false);
  EXPECT_EQ(sample.blocks.size(), 1u);
}

TEST(RunSampleTest, LongRunsWidenTheBlocksAndKeepEveryRequest) {
  RunSampleBuilder builder;
  uint64_t added = 0;
  for (int64_t start = 0; start < 60'000'000; start += 1'000) {
    builder.add(record_at(start, 100 + static_cast<uint32_t>(start % 977)));
    ++added;
  }
  const RunSample sample = builder.finish("x", std::nullopt, false);
  EXPECT_LE(sample.blocks.size(), static_cast<size_t>(kMaxRunBlocks));
  EXPECT_GE(sample.blocks.size(), static_cast<size_t>(kMaxRunBlocks / 2));
  EXPECT_EQ(sample.block_us, 1'600'000);
  uint64_t completed = 0, responses = 0;
  for (const RunBlock& block : sample.blocks) {
    completed += block.completed;
    responses += responses_of(block);
  }
  EXPECT_EQ(completed, added);
  EXPECT_EQ(responses, added);
}

TEST(RunSampleTest, RecordsInAnyOrderGiveTheSameBlocks) {
  RunSampleBuilder forward, backward;
  for (int64_t i = 0; i < 100; ++i) forward.add(record_at(i * 100'000, 100 + i));
  for (int64_t i = 99; i >= 0; --i) backward.add(record_at(i * 100'000, 100 + i));
  const RunSample a = forward.finish("a", std::nullopt, false);
  const RunSample b = backward.finish("b", std::nullopt, false);
  ASSERT_EQ(a.blocks.size(), b.blocks.size());
  EXPECT_EQ(a.block_us, b.block_us);
  for (size_t i = 0; i < a.blocks.size(); ++i) {
    EXPECT_EQ(a.blocks[i].completed, b.blocks[i].completed) << i;
  }
}

TEST(RunSampleTest, WindowIsTheMeasuredOneWhenKnownElseFirstStartToLastCompletion) {
  RunSampleBuilder builder;
  builder.add(record_at(1'000'000, 500'000));
  builder.add(record_at(2'000'000, 500'000));
  RunSampleBuilder copy = builder;
  EXPECT_DOUBLE_EQ(builder.finish("x", 4'000'000, false).window_s, 4.0);
  EXPECT_DOUBLE_EQ(copy.finish("x", std::nullopt, false).window_s, 1.5);
}

TEST(RunSampleTest, PercentilesMatchTheSummaryHistogram) {
  RunSampleBuilder builder;
  HdrHistogram summary;
  for (int64_t i = 0; i < 5'000; ++i) {
    const uint32_t latency = 90 + static_cast<uint32_t>((i * 7919) % 25'000);
    builder.add(record_at(i * 1'000, latency));
    summary.record(latency);
  }
  const MetricValues values = run_metrics(builder.finish("x", std::nullopt, false));
  EXPECT_EQ(at(values, CompareMetric::kP50), summary.value_at_percentile(50));
  EXPECT_EQ(at(values, CompareMetric::kP90), summary.value_at_percentile(90));
  EXPECT_EQ(at(values, CompareMetric::kP99), summary.value_at_percentile(99));
}

}  // namespace
}  // namespace strest
