#include "report/export_readers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "export_test_fixture.h"
#include "report/export_writers.h"

namespace strest {
namespace {

using nlohmann::json;

class ExportReadersTest : public ExportTest {
 protected:
  // Reads `path` into records_, returning the result.
  Result<ExportedRun> read(const std::string& path) {
    records_.clear();
    return read_export(path, [this](const RunLogRecord& record) { records_.push_back(record); });
  }
  // The error reading `path` gives (empty when it reads fine).
  std::string read_error(const std::string& name, const std::string& text) {
    write(name, text);
    auto run = read(name);
    return run ? "" : run.error();
  }

  std::vector<RunLogRecord> records_;
};

constexpr const char* kCsvHead =
    "# strest export schema_version=1\n"
    "sequence,start_ms,latency_ms,service_ms,status,outcome,error,bytes,worker,step\n";

TEST_F(ExportReadersTest, CsvRoundTrip) {
  ASSERT_TRUE(write_export(sample_run(), Plan{}, ExportFormat::kCsv, "out.csv"));
  auto run = read("out.csv");
  ASSERT_TRUE(run) << run.error();
  expect_same_records(records_, sample_records());
  EXPECT_EQ(run->format, ExportFormat::kCsv);
  EXPECT_EQ(run->records, 4u);
  EXPECT_EQ(run->run_start_unix_us, kTestRunStartUs);
  EXPECT_EQ(run->open_loop, false);
  EXPECT_FALSE(run->summary.has_value());
}

TEST_F(ExportReadersTest, JsonRoundTrip) {
  ASSERT_TRUE(write_export(sample_run(), Plan{}, ExportFormat::kJson, "out.json"));
  auto run = read("out.json");
  ASSERT_TRUE(run) << run.error();
  expect_same_records(records_, sample_records());
  EXPECT_EQ(run->run_start_unix_us, kTestRunStartUs);
  ASSERT_TRUE(run->summary.has_value());
  EXPECT_EQ((*run->summary)["exported_records"], 4);
  EXPECT_EQ((*run->summary)["target"], "http://127.0.0.1:8080/");
  EXPECT_FALSE(run->summary->contains("metrics"));
}

TEST_F(ExportReadersTest, JsonlRoundTrip) {
  const RunResult open_loop_run =
      run_with({write_run_log("strest-run-1-1-0.srl", sample_records(), /*open_loop=*/true)});
  ASSERT_TRUE(write_export(open_loop_run, Plan{}, ExportFormat::kJsonl, "out.jsonl"));
  auto run = read("out.jsonl");
  ASSERT_TRUE(run) << run.error();
  expect_same_records(records_, sample_records());
  EXPECT_EQ(run->run_start_unix_us, kTestRunStartUs);
  EXPECT_EQ(run->open_loop, true);
  ASSERT_TRUE(run->summary.has_value());
  EXPECT_FALSE(run->summary->contains("type"));
  EXPECT_EQ((*run->summary)["records_left_out"], 0);
}

// Microsecond precision over a wide range, every error kind, and buffers flushed many times.
TEST_F(ExportReadersTest, ManyRecordsRoundTripExactlyInEveryFormat) {
  std::vector<RunLogRecord> records;
  for (uint64_t i = 0; i < 5000; ++i) {
    const auto outcome = static_cast<LoggedOutcome>(i % 4);
    const uint64_t round = i / 4;
    const uint64_t kind = outcome == LoggedOutcome::kTimeout     ? round % 2
                          : outcome == LoggedOutcome::kTransport ? round % kTransportErrorKinds
                                                                 : 0;
    records.push_back(make_record(i * 7919, static_cast<int64_t>(i * i * 1237 + i),
                                  static_cast<uint32_t>(i * 977'101 % 4'000'000'000u),
                                  static_cast<uint32_t>(i * 13), static_cast<uint16_t>(i % 600),
                                  outcome, static_cast<uint8_t>(kind),
                                  static_cast<uint32_t>(i * 31), static_cast<uint16_t>(i % 65),
                                  static_cast<uint16_t>(i % 3)));
  }
  const RunResult run = run_with({write_run_log("strest-run-1-1-0.srl", records)});
  for (const char* name : {"all.csv", "all.json", "all.jsonl"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(write_export(run, Plan{}, *export_format_for_path(name), name));
    auto read_back = read(name);
    ASSERT_TRUE(read_back) << read_back.error();
    expect_same_records(records_, records);
  }
}

TEST_F(ExportReadersTest, HandWrittenCsvWithCrlfBlankLinesAndOtherColumnOrder) {
  write("hand.csv",
        "step,worker,bytes,error,outcome,status,service_ms,latency_ms,start_ms,sequence,note\r\n"
        "\r\n"
        "0,3,10,connect,timeout,0,0,0,12.5,9,late\r\n");
  auto run = read("hand.csv");
  ASSERT_TRUE(run) << run.error();
  expect_same_records(records_,
                      {make_record(9, 12'500, 0, 0, 0, LoggedOutcome::kTimeout,
                                   static_cast<uint8_t>(TimeoutKind::kConnect), 10, 3, 0)});
  EXPECT_FALSE(run->run_start_unix_us.has_value());
}

TEST_F(ExportReadersTest, PrettyPrintedJsonWithTheSummaryFirstReads) {
  ASSERT_TRUE(write_export(sample_run(), Plan{}, ExportFormat::kJson, "out.json"));
  write("pretty.json", json::parse(read_text("out.json")).dump(2));  // keys sorted: metrics first
  auto run = read("pretty.json");
  ASSERT_TRUE(run) << run.error();
  expect_same_records(records_, sample_records());
  EXPECT_TRUE(run->summary.has_value());
}

TEST_F(ExportReadersTest, JsonlIgnoresUnknownLineTypes) {
  write("x.jsonl",
        "{\"type\":\"meta\",\"schema_version\":1}\n"
        "{\"type\":\"marker\",\"at_ms\":5}\n"
        "{\"type\":\"request\",\"sequence\":4,\"start_ms\":1,\"latency_ms\":2,\"service_ms\":2,"
        "\"status\":200,\"outcome\":\"ok\",\"error\":\"\",\"bytes\":0,\"worker\":0,\"step\":0}\n");
  auto run = read("x.jsonl");
  ASSERT_TRUE(run) << run.error();
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].start_us, 1000);
  EXPECT_EQ(records_[0].latency_us, 2000u);
}

TEST_F(ExportReadersTest, BadCsvFieldNamesFileLineAndValue) {
  EXPECT_EQ(read_error("x.csv", std::string(kCsvHead) + "1,0.5,1,1,abc,ok,,0,0,0\n"),
            "x.csv:3: bad status 'abc' (an integer 0-65535)");
  EXPECT_EQ(read_error("x.csv", std::string(kCsvHead) + "1,0.5,1,1,200,fine,,0,0,0\n"),
            "x.csv:3: bad outcome 'fine' (ok, non_expected_status, timeout or transport_error)");
  EXPECT_EQ(read_error("x.csv", std::string(kCsvHead) + "1,0.5,-1,1,200,ok,,0,0,0\n"),
            "x.csv:3: bad latency_ms '-1' (milliseconds >= 0)");
  EXPECT_EQ(read_error("x.csv", std::string(kCsvHead) + "1,0.5,1,1,200,ok,,0,70000,0\n"),
            "x.csv:3: bad worker '70000' (an integer 0-65535)");
  EXPECT_EQ(read_error("x.csv", std::string(kCsvHead) + "1,0.5,1,1,0,timeout,slow,0,0,0\n"),
            "x.csv:3: unknown timeout kind 'slow' (connect or request)");
  EXPECT_EQ(read_error("x.csv", std::string(kCsvHead) + "1,0.5,1,1,200,ok,reset,0,0,0\n"),
            "x.csv:3: error must be empty for outcome 'ok', got 'reset'");
}

TEST_F(ExportReadersTest, BadCsvShapeNamesFileAndLine) {
  EXPECT_EQ(read_error("x.csv", std::string(kCsvHead) + "\n1,0.5,1\n"),
            "x.csv:4: expected 10 fields, found 3");
  EXPECT_EQ(read_error("x.csv", "sequence,start_ms\n1,2\n"),
            "x.csv:1: header row lacks column 'latency_ms' (not a strest CSV export?)");
  EXPECT_EQ(read_error("x.csv", "# just a comment\n"),
            "x.csv: no header row: not a strest CSV export");
  EXPECT_EQ(read_error("x.csv", "# strest export schema_version=2\n"),
            "x.csv:1: export schema_version 2 is not supported (this strest reads 1)");
}

TEST_F(ExportReadersTest, BadJsonNamesFileAndLine) {
  const std::string record =
      R"({"sequence":1,"start_ms":0.5,"latency_ms":1,"service_ms":1,"status":200,)"
      R"("outcome":"ok","error":"","bytes":0,"worker":0,"step":0})";
  std::string missing = record;
  missing.erase(missing.find("\"status\":200,"), 13);
  EXPECT_EQ(read_error("x.json",
                       "{\"schema_version\":1,\"metrics\":[\n" + record + ",\n" + missing + "\n]}"),
            "x.json:3: missing field 'status'");
  EXPECT_EQ(read_error("x.json", "{\"schema_version\":1,\"metrics\":[\n" + record + ",\n7]}"),
            "x.json:3: each entry of \"metrics\" must be an object");
  EXPECT_EQ(read_error("x.json", "{\"schema_version\":3,\"metrics\":[]}"),
            "x.json:1: export schema_version 3 is not supported (this strest reads 1)");
  EXPECT_EQ(read_error("x.json", "{\"metrics\":[]}"),
            "x.json: not a strest JSON export (no \"schema_version\")");
  const std::string syntax = read_error("x.json", "{\"schema_version\":1,\n\"metrics\":[}");
  EXPECT_EQ(syntax.rfind("x.json: parse error at line 2, column 12", 0), 0u) << syntax;
}

TEST_F(ExportReadersTest, BadJsonlNamesFileAndLine) {
  EXPECT_EQ(read_error("x.jsonl", "{\"type\":\"meta\",\"schema_version\":1}\n{oops\n"),
            "x.jsonl:2: not a JSON object");
  EXPECT_EQ(read_error("x.jsonl", "\n[1,2]\n"),
            "x.jsonl:2: expected an object with a \"type\" (meta, request or summary)");
  EXPECT_EQ(read_error("x.jsonl", "{\"type\":\"request\",\"sequence\":true}\n"),
            "x.jsonl:1: field 'sequence' must be a number or a string");
  EXPECT_EQ(read_error("x.jsonl", "{\"type\":\"meta\",\"schema_version\":2}\n"),
            "x.jsonl:1: export schema_version 2 is not supported (this strest reads 1)");
}

TEST_F(ExportReadersTest, UnknownExtensionAndMissingFile) {
  EXPECT_EQ(read_error("x.txt", ""),
            "cannot tell the format of export 'x.txt': name it .csv, .json or .jsonl");
  auto run = read("missing.jsonl");
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error(), "cannot open export 'missing.jsonl'");
}

TEST_F(ExportReadersTest, ExplicitFormatIgnoresTheExtension) {
  write("data.txt", std::string(kCsvHead) + "1,0.5,1,1,200,ok,,0,0,0\n");
  auto run = read_export("data.txt", ExportFormat::kCsv, [](const RunLogRecord&) {});
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(run->records, 1u);
}

}  // namespace
}  // namespace strest
