#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "in_temp_dir_test.h"
#include "metrics/recorder.h"
#include "metrics/run_log_reader.h"
#include "metrics/run_log_writer.h"

namespace strest {
namespace {

namespace fs = std::filesystem;

RunLogRecord sample_record(uint64_t i) {
  RunLogRecord r;
  r.sequence = i;
  r.start_us = static_cast<int64_t>(i * 1'000);
  r.latency_us = static_cast<uint32_t>(100 + i);
  r.service_us = static_cast<uint32_t>(50 + i);
  r.bytes = 13;
  r.status = i % 2 == 0 ? 200 : 503;
  r.outcome = i % 2 == 0 ? LoggedOutcome::kOk : LoggedOutcome::kNonExpectedStatus;
  r.worker = static_cast<uint16_t>(i % 3);
  return r;
}

bool same(const RunLogRecord& a, const RunLogRecord& b) {
  return a.sequence == b.sequence && a.start_us == b.start_us && a.latency_us == b.latency_us &&
         a.service_us == b.service_us && a.bytes == b.bytes && a.status == b.status &&
         a.outcome == b.outcome && a.error_kind == b.error_kind && a.worker == b.worker &&
         a.step == b.step;
}

TEST(RunLogFormat, RecordsAndHeaderRoundTripLittleEndian) {
  RunLogRecord record = sample_record(0x0102030405060708ull);
  record.start_us = -5;
  record.error_kind = 4;
  record.step = 7;
  uint8_t bytes[kRunLogRecordBytes];
  encode_record(record, bytes);
  EXPECT_EQ(bytes[0], 0x08);  // least significant byte first
  EXPECT_EQ(bytes[7], 0x01);
  EXPECT_TRUE(same(decode_record(bytes), record));

  RunLogHeader header;
  header.flags = kRunLogOpenLoop;
  header.run_start_unix_us = 1'795'000'000'000'000;
  uint8_t head[kRunLogHeaderBytes];
  encode_header(header, head);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(head), 8), "STRESTLG");
  RunLogHeader back;
  ASSERT_TRUE(decode_header(head, back));
  EXPECT_EQ(back.flags, kRunLogOpenLoop);
  EXPECT_EQ(back.run_start_unix_us, header.run_start_unix_us);
  head[0] = 'X';
  EXPECT_FALSE(decode_header(head, back));
}

TEST(RunLogRing, PassesEveryRecordInOrderAcrossThreads) {
  RunLogRing ring(1 << 4);  // tiny: the producer must wait for the consumer
  constexpr uint64_t kCount = 100'000;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kCount; ++i) ring.push(sample_record(i));
  });
  uint64_t next = 0;
  bool in_order = true;
  while (next < kCount) {
    ring.pop_all([&](const RunLogRecord& r) { in_order = in_order && r.sequence == next++; });
  }
  producer.join();
  EXPECT_TRUE(in_order);
  EXPECT_EQ(next, kCount);
}

class RunLogFiles : public InTempDirTest {};

TEST_F(RunLogFiles, WriterAndReaderAgreeAcrossShards) {
  auto writer = RunLogWriter::open("logs", 2, 3, /*open_loop=*/true);
  ASSERT_TRUE(writer.ok()) << writer.error();
  (*writer)->start();
  for (uint64_t i = 0; i < 3000; ++i) (*writer)->ring(i % 3).push(sample_record(i));
  ASSERT_TRUE((*writer)->finish());
  EXPECT_EQ((*writer)->records_written(), 3000u);
  const auto paths = (*writer)->paths();
  ASSERT_EQ(paths.size(), 2u);

  auto files = run_log_files("logs");
  ASSERT_TRUE(files.ok()) << files.error();
  EXPECT_EQ(*files, paths);
  uint64_t records = 0;
  uint64_t sequence_sum = 0;
  for (const std::string& path : *files) {
    auto summary = read_run_log(path, [&](const RunLogRecord& r) {
      ++records;
      sequence_sum += r.sequence;
      EXPECT_TRUE(same(r, sample_record(r.sequence)));
    });
    ASSERT_TRUE(summary.ok()) << summary.error();
    EXPECT_FALSE(summary->truncated);
    EXPECT_EQ(summary->header.flags, kRunLogOpenLoop);
  }
  EXPECT_EQ(records, 3000u);
  EXPECT_EQ(sequence_sum, 2999u * 3000u / 2);
  auto same_run = run_log_files(paths[1]);
  ASSERT_TRUE(same_run.ok());
  EXPECT_EQ(*same_run, paths);
}

TEST_F(RunLogFiles, CutShortLogReadsUpToTheLastWholeRecord) {
  auto writer = RunLogWriter::open(".", 1, 1, false);
  ASSERT_TRUE(writer.ok());
  (*writer)->start();
  for (uint64_t i = 0; i < 10; ++i) (*writer)->ring(0).push(sample_record(i));
  ASSERT_TRUE((*writer)->finish());
  const std::string path = (*writer)->paths()[0];
  writer->reset();
  fs::resize_file(path, kRunLogHeaderBytes + 7 * kRunLogRecordBytes + 13);  // as after SIGKILL
  uint64_t seen = 0;
  auto summary = read_run_log(path, [&](const RunLogRecord& r) { EXPECT_EQ(r.sequence, seen++); });
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->records, 7u);
  EXPECT_TRUE(summary->truncated);
}

TEST_F(RunLogFiles, RejectsWhatIsNotARunLog) {
  write("strest-run-1-2-0.srl", "not a run log at all, but long enough for a header......");
  auto summary = read_run_log("strest-run-1-2-0.srl", [](const RunLogRecord&) {});
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.error().find("not a strest run log"), std::string::npos);
  EXPECT_FALSE(read_run_log("missing.srl", [](const RunLogRecord&) {}).ok());
  EXPECT_FALSE(run_log_files("notes.txt").ok());
  fs::create_directory("empty");
  EXPECT_FALSE(run_log_files("empty").ok());
}

TEST_F(RunLogFiles, DirectoryMeansTheNewestRun) {
  write("strest-run-1000-5-0.srl", "");
  write("strest-run-2000-5-0.srl", "");
  write("strest-run-2000-5-1.srl", "");
  write("strest-run-999-7-0.srl", "");
  auto files = run_log_files(".");
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ(fs::path((*files)[0]).filename(), "strest-run-2000-5-0.srl");
}

TEST(RecorderLog, LogsMeasuredRequestsOnly) {
  RunLogRing ring;
  Recorder recorder(RecorderOptions{.warmup_us = 1'000, .log = &ring, .worker = 3});
  recorder.record_response(200, true, {.start_us = 500, .sent_us = 500, .sequence = 1}, 9, 900);
  recorder.record_response(200, true, {.start_us = 2'000, .sent_us = 2'000, .sequence = 2}, 9,
                           2'400);
  recorder.record_timeout(TimeoutKind::kRequest, {.start_us = 3'000, .sequence = 3}, 0, 9'000);
  recorder.record_transport_error(TransportError::kReset, {.start_us = 4'000, .sequence = 4}, 5,
                                  4'100);
  std::vector<RunLogRecord> logged;
  ring.pop_all([&](const RunLogRecord& r) { logged.push_back(r); });
  ASSERT_EQ(logged.size(), 3u);  // the warmup request is not logged
  EXPECT_EQ(logged[0].sequence, 2u);
  EXPECT_EQ(logged[0].latency_us, 400u);
  EXPECT_EQ(logged[0].worker, 3u);
  EXPECT_EQ(logged[1].outcome, LoggedOutcome::kTimeout);
  EXPECT_EQ(logged[1].error_kind, static_cast<uint8_t>(TimeoutKind::kRequest));
  EXPECT_EQ(logged[2].outcome, LoggedOutcome::kTransport);
  EXPECT_EQ(logged[2].error_kind, static_cast<uint8_t>(TransportError::kReset));
  EXPECT_EQ(logged[2].bytes, 5u);
}

}  // namespace
}  // namespace strest
