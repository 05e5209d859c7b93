// Run log versions: version 1 files (requests only) are still read, version 2 event records
// are kept apart from requests, and unknown versions are refused.
#include <gtest/gtest.h>

#include <cstdio>

#include "in_temp_dir_test.h"
#include "metrics/run_log_events.h"
#include "metrics/run_log_reader.h"
#include "metrics/run_log_writer.h"
#include "run_log_file.h"

namespace strest {
namespace {

void write_log(const std::string& path, uint16_t version, const std::vector<RunLogRecord>& rs) {
  RunLogHeader header;
  header.version = version;
  write_run_log_file(path, header, rs);
}

// As strest wrote them before version 2: a timeout with latency 0 and no send delay.
std::vector<RunLogRecord> version1_records() {
  RunLogRecord ok{.sequence = 0, .start_us = 1'000, .latency_us = 800, .service_us = 800};
  RunLogRecord timeout{.sequence = 1, .start_us = 2'000, .outcome = LoggedOutcome::kTimeout};
  RunLogRecord open_loop{.sequence = 2, .start_us = 3'000, .latency_us = 900, .service_us = 400};
  return {ok, timeout, open_loop};
}

using RunLogVersions = InTempDirTest;

TEST_F(RunLogVersions, Version1FilesAreStillRead) {
  write_log("strest-run-1-1-0.srl", 1, version1_records());
  std::vector<RunLogRecord> read;
  uint64_t events = 0;
  auto summary = read_run_log(
      "strest-run-1-1-0.srl", [&](const RunLogRecord& r) { read.push_back(r); },
      [&](const RunLogRecord&) { ++events; });
  ASSERT_TRUE(summary.ok()) << summary.error();
  EXPECT_EQ(summary->header.version, 1);
  EXPECT_EQ(summary->records, 3u);
  EXPECT_EQ(events, 0u);
  ASSERT_EQ(read.size(), 3u);
  // Completion of version 1 records: start + latency (corrected in open loop).
  EXPECT_EQ(completion_us(read[0]), 1'800);
  EXPECT_EQ(completion_us(read[1]), 2'000);
  EXPECT_EQ(completion_us(read[2]), 3'900);
}

TEST_F(RunLogVersions, UnknownVersionsAreRefused) {
  write_log("strest-run-1-1-0.srl", 3, version1_records());
  auto summary = read_run_log("strest-run-1-1-0.srl", [](const RunLogRecord&) {});
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.error().find("reads versions 1 to 2"), std::string::npos) << summary.error();
}

TEST_F(RunLogVersions, EventsAreKeptApartFromRequests) {
  auto writer = RunLogWriter::open(".", 1, 1, false);
  ASSERT_TRUE(writer.ok()) << writer.error();
  (*writer)->start();
  Tally facts;
  facts.cancelled = 2;
  std::array<RunLogRecord, kMaxTickEvents> events;
  const size_t n = tick_events(facts, 0, 0, events);
  for (size_t i = 0; i < n; ++i) (*writer)->ring(0).push(events[i]);
  for (const RunLogRecord& r : version1_records()) (*writer)->ring(0).push(r);
  const RunFacts run{.target = "http://127.0.0.1:1/", .wall_us = 5'000};
  ASSERT_TRUE((*writer)->finish(run_fact_events(run)));
  EXPECT_EQ((*writer)->records_written(), 3u);  // requests only, as the summary counts

  uint64_t requests = 0;
  RunEventReader reader;
  Tally back;
  auto summary = read_run_log((*writer)->paths()[0], [&](const RunLogRecord&) { ++requests; },
                              [&](const RunLogRecord& e) {
                                reader.add(e);
                                apply_tick_event(e, back);
                              });
  ASSERT_TRUE(summary.ok()) << summary.error();
  EXPECT_EQ(summary->header.version, kRunLogVersion);
  EXPECT_EQ(summary->records, 3u);
  EXPECT_EQ(requests, 3u);
  EXPECT_EQ(back.cancelled, 2u);
  ASSERT_TRUE(reader.facts().has_value());
  EXPECT_EQ(reader.facts()->wall_us, 5'000);
  EXPECT_EQ(reader.facts()->target, "http://127.0.0.1:1/");
}

}  // namespace
}  // namespace strest
