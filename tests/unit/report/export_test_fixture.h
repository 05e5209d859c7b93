#pragma once
// Shared by the export tests: a temp directory with hand-made run log files (written with the
// run log's own encode functions, as the engine writes them), and record comparison.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "in_temp_dir_test.h"
#include "metrics/outcome.h"
#include "metrics/run_log_format.h"
#include "metrics/run_result.h"
#include "plan/plan.h"
#include "run_log_file.h"

namespace strest {

inline constexpr int64_t kTestRunStartUs = 1'700'000'000'123'456;

inline RunLogRecord make_record(uint64_t sequence, int64_t start_us, uint32_t latency_us,
                                uint32_t service_us, uint16_t status, LoggedOutcome outcome,
                                uint8_t error_kind, uint32_t bytes, uint16_t worker,
                                uint16_t step) {
  RunLogRecord r;
  r.sequence = sequence;
  r.start_us = start_us;
  r.latency_us = latency_us;
  r.service_us = service_us;
  r.status = status;
  r.outcome = outcome;
  r.error_kind = error_kind;
  r.bytes = bytes;
  r.worker = worker;
  r.step = step;
  return r;
}

// One of each outcome, at 0 ms, 0.25 ms, 1 s and 2.500001 s.
inline std::vector<RunLogRecord> sample_records() {
  return {
      make_record(0, 0, 1234, 1234, 200, LoggedOutcome::kOk, 0, 512, 0, 0),
      make_record(1, 250, 2500, 2000, 503, LoggedOutcome::kNonExpectedStatus, 0, 100, 1, 2),
      make_record(2, 1'000'000, 0, 0, 0, LoggedOutcome::kTimeout,
                  static_cast<uint8_t>(TimeoutKind::kRequest), 0, 0, 0),
      make_record(3, 2'500'001, 0, 0, 0, LoggedOutcome::kTransport,
                  static_cast<uint8_t>(TransportError::kReset), 0, 1, 0),
  };
}

inline auto fields(const RunLogRecord& r) {
  return std::make_tuple(r.sequence, r.start_us, r.latency_us, r.service_us, r.status,
                         static_cast<int>(r.outcome), r.error_kind, r.bytes, r.worker, r.step);
}

inline void expect_same_records(const std::vector<RunLogRecord>& actual,
                                const std::vector<RunLogRecord>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(fields(actual[i]), fields(expected[i])) << "record " << i;
  }
}

class ExportTest : public InTempDirTest {
 protected:
  // Writes a run log file the way RunLogWriter does: header, then the records.
  static std::string write_run_log(const std::string& name,
                                   const std::vector<RunLogRecord>& records,
                                   bool open_loop = false) {
    RunLogHeader header;
    header.run_start_unix_us = kTestRunStartUs;
    header.flags = open_loop ? kRunLogOpenLoop : 0;
    write_run_log_file(name, header, records);
    return name;
  }

  static RunResult run_with(std::vector<std::string> paths) {
    RunResult result;
    result.target = "http://127.0.0.1:8080/";
    result.wall = std::chrono::microseconds(3'000'000);
    result.run_log_paths = std::move(paths);
    return result;
  }

  // The sample records in one run log.
  static RunResult sample_run() {
    return run_with({write_run_log("strest-run-1-1-0.srl", sample_records())});
  }

  static std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

}  // namespace strest
