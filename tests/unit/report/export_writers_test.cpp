#include "report/export_writers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "export_test_fixture.h"
#include "report/export_run_log.h"
#include "report/summary_json.h"

namespace strest {
namespace {

using nlohmann::json;
using std::chrono::microseconds;

constexpr const char* kMeta =
    R"("schema_version":1,"run_start_unix_us":1700000000123456,"open_loop":false,)"
    R"("target":"http://127.0.0.1:8080/","metrics_window":{"from_ms":0.0,"to_ms":null,)"
    R"("max":1000000})";

constexpr const char* kJsonRecords[] = {
    R"({"sequence":0,"start_ms":0.000,"latency_ms":1.234,"service_ms":1.234,"status":200,)"
    R"("outcome":"ok","error":"","bytes":512,"worker":0,"step":0})",
    R"({"sequence":1,"start_ms":0.250,"latency_ms":2.500,"service_ms":2.000,"status":503,)"
    R"("outcome":"non_expected_status","error":"","bytes":100,"worker":1,"step":2})",
    R"({"sequence":2,"start_ms":1000.000,"latency_ms":0.000,"service_ms":0.000,"status":0,)"
    R"("outcome":"timeout","error":"request","bytes":0,"worker":0,"step":0})",
    R"({"sequence":3,"start_ms":2500.001,"latency_ms":0.000,"service_ms":0.000,"status":0,)"
    R"("outcome":"transport_error","error":"reset","bytes":0,"worker":1,"step":0})",
};

std::string expected_summary(const RunResult& result, const Plan& plan, uint64_t exported,
                             uint64_t left_out) {
  json summary = summary_json(result, plan);
  summary["exported_records"] = exported;
  summary["records_left_out"] = left_out;
  return summary.dump();
}

class ExportWritersTest : public ExportTest {};

TEST_F(ExportWritersTest, CsvIsACommentTheHeaderAndOneRowPerRecord) {
  Plan plan;
  ASSERT_TRUE(write_export(sample_run(), plan, ExportFormat::kCsv, "out.csv"));
  EXPECT_EQ(read_text("out.csv"),
            "# strest export schema_version=1 run_start_unix_us=1700000000123456 open_loop=false\n"
            "sequence,start_ms,latency_ms,service_ms,status,outcome,error,bytes,worker,step\n"
            "0,0.000,1.234,1.234,200,ok,,512,0,0\n"
            "1,0.250,2.500,2.000,503,non_expected_status,,100,1,2\n"
            "2,1000.000,0.000,0.000,0,timeout,request,0,0,0\n"
            "3,2500.001,0.000,0.000,0,transport_error,reset,0,1,0\n");
}

TEST_F(ExportWritersTest, JsonIsOneDocumentWithTheSummaryLast) {
  Plan plan;
  const RunResult run = sample_run();
  ASSERT_TRUE(write_export(run, plan, ExportFormat::kJson, "out.json"));
  const std::string expected = std::string("{") + kMeta + ",\"metrics\":[\n" + kJsonRecords[0] +
                               ",\n" + kJsonRecords[1] + ",\n" + kJsonRecords[2] + ",\n" +
                               kJsonRecords[3] +
                               "\n],\n\"summary\":" + expected_summary(run, plan, 4, 0) + "}\n";
  EXPECT_EQ(read_text("out.json"), expected);
  const json document = json::parse(read_text("out.json"));
  EXPECT_EQ(document["metrics"].size(), 4u);
  EXPECT_EQ(document["summary"]["exported_records"], 4);
}

TEST_F(ExportWritersTest, JsonlIsMetaThenRequestsThenSummary) {
  Plan plan;
  const RunResult run = sample_run();
  ASSERT_TRUE(write_export(run, plan, ExportFormat::kJsonl, "out.jsonl"));
  std::string expected = std::string("{\"type\":\"meta\",") + kMeta + "}\n";
  for (const char* record : kJsonRecords) {
    expected += std::string("{\"type\":\"request\",") + (record + 1) + "\n";
  }
  expected += "{\"type\":\"summary\"," + expected_summary(run, plan, 4, 0).substr(1) + "\n";
  EXPECT_EQ(read_text("out.jsonl"), expected);
}

TEST_F(ExportWritersTest, EmptyRunLogStillMakesValidFiles) {
  const RunResult run = run_with({write_run_log("strest-run-1-1-0.srl", {})});
  ASSERT_TRUE(write_export(run, Plan{}, ExportFormat::kJson, "out.json"));
  const json document = json::parse(read_text("out.json"));
  EXPECT_TRUE(document["metrics"].empty());
  ASSERT_TRUE(write_export(run, Plan{}, ExportFormat::kCsv, "out.csv"));
  const std::string csv = read_text("out.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);  // comment and header rows
}

TEST_F(ExportWritersTest, MetaCarriesTheWindowAndOpenLoop) {
  Plan plan;
  plan.metrics_window = {.from = microseconds(1500), .to = microseconds(2'000'000), .max = 7};
  const RunResult run = run_with({write_run_log("strest-run-1-1-0.srl", {}, /*open_loop=*/true)});
  ASSERT_TRUE(write_export(run, plan, ExportFormat::kJsonl, "out.jsonl"));
  std::ifstream in("out.jsonl");
  std::string first;
  std::getline(in, first);
  const json meta = json::parse(first);
  EXPECT_EQ(meta["open_loop"], true);
  EXPECT_EQ(meta["metrics_window"], json::parse(R"({"from_ms":1.5,"to_ms":2000.0,"max":7})"));
}

// [from, to): 250 µs and 1 s are in; 0 is before, 2.500001 s is at or after `to`.
TEST_F(ExportWritersTest, WindowKeepsRecordsStartingWithinFromTo) {
  Plan plan;
  plan.metrics_window = {.from = microseconds(250), .to = microseconds(2'500'001), .max = 100};
  const RunResult run = sample_run();
  ASSERT_TRUE(write_export(run, plan, ExportFormat::kJson, "out.json"));
  const json document = json::parse(read_text("out.json"));
  ASSERT_EQ(document["metrics"].size(), 2u);
  EXPECT_EQ(document["metrics"][0]["sequence"], 1);
  EXPECT_EQ(document["metrics"][1]["sequence"], 2);
  EXPECT_EQ(document["summary"]["exported_records"], 2);
  EXPECT_EQ(document["summary"]["records_left_out"], 2);
}

TEST_F(ExportWritersTest, MaxKeepsTheFirstRecordsInFileOrder) {
  Plan plan;
  plan.metrics_window.max = 3;
  ASSERT_TRUE(write_export(sample_run(), plan, ExportFormat::kCsv, "out.csv"));
  const std::string text = read_text("out.csv");
  EXPECT_NE(text.find("\n2,1000.000,"), std::string::npos);
  EXPECT_EQ(text.find("\n3,"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2 + 3);
}

TEST_F(ExportWritersTest, MaxZeroLeavesEveryRecordOut) {
  Plan plan;
  plan.metrics_window.max = 0;
  ASSERT_TRUE(write_export(sample_run(), plan, ExportFormat::kJsonl, "out.jsonl"));
  EXPECT_EQ(read_text("out.jsonl").find("\"type\":\"request\""), std::string::npos);
  EXPECT_NE(read_text("out.jsonl").find("\"records_left_out\":4"), std::string::npos);
}

TEST_F(ExportWritersTest, ShardsAreExportedInOrder) {
  const std::vector<RunLogRecord> records = sample_records();
  const RunResult run = run_with({write_run_log("strest-run-1-1-0.srl", {records[0], records[2]}),
                                  write_run_log("strest-run-1-1-1.srl", {records[1], records[3]})});
  ASSERT_TRUE(write_export(run, Plan{}, ExportFormat::kCsv, "out.csv"));
  const std::string text = read_text("out.csv");
  const size_t first = text.find("\n0,");
  const size_t second = text.find("\n2,");
  const size_t third = text.find("\n1,");
  const size_t fourth = text.find("\n3,");
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_LT(third, fourth);
  EXPECT_NE(fourth, std::string::npos);
}

TEST_F(ExportWritersTest, LargeRunsAreWrittenInFull) {
  std::vector<RunLogRecord> records;
  for (uint64_t i = 0; i < 20'000; ++i) {
    records.push_back(make_record(i, static_cast<int64_t>(i) * 100, 1000 + static_cast<uint32_t>(i),
                                  900, 200, LoggedOutcome::kOk, 0, 64, 0, 0));
  }
  const RunResult run = run_with({write_run_log("strest-run-1-1-0.srl", records)});
  ASSERT_TRUE(write_export(run, Plan{}, ExportFormat::kJsonl, "out.jsonl"));
  const std::string text = read_text("out.jsonl");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 20'002);
  EXPECT_NE(text.find("{\"type\":\"request\",\"sequence\":19999,\"start_ms\":1999.900,"),
            std::string::npos);
}

TEST_F(ExportWritersTest, WriteExportsWritesEveryRequestedFile) {
  Plan plan;
  plan.export_csv = "a.csv";
  plan.export_json = "b.json";
  plan.export_jsonl = "c.jsonl";
  ASSERT_TRUE(write_exports(sample_run(), plan));
  EXPECT_TRUE(std::filesystem::exists("a.csv"));
  EXPECT_TRUE(std::filesystem::exists("b.json"));
  EXPECT_TRUE(std::filesystem::exists("c.jsonl"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator("."),
                          std::filesystem::directory_iterator()),
            4);  // and no temporary files left behind
}

TEST_F(ExportWritersTest, OutputIsAnExportOnlyForCsvAndJsonl) {
  Plan plan;
  plan.output_path = "out.data";
  plan.output_format = OutputFormat::kJsonl;
  ASSERT_EQ(requested_exports(plan).size(), 1u);
  EXPECT_EQ(requested_exports(plan)[0].first, ExportFormat::kJsonl);
  plan.output_format = OutputFormat::kCsv;
  EXPECT_EQ(requested_exports(plan)[0].first, ExportFormat::kCsv);
  plan.output_format = OutputFormat::kJson;
  EXPECT_TRUE(requested_exports(plan).empty());
  plan.output_format = OutputFormat::kText;
  EXPECT_TRUE(requested_exports(plan).empty());
}

TEST_F(ExportWritersTest, NothingRequestedNeedsNoRunLog) {
  EXPECT_TRUE(write_exports(run_with({}), Plan{}));
}

TEST_F(ExportWritersTest, UnwritablePathFailsNamingTheFile) {
  const Status written = write_export(sample_run(), Plan{}, ExportFormat::kCsv, "no/such/out.csv");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error(), "cannot write export 'no/such/out.csv': No such file or directory");
}

TEST_F(ExportWritersTest, MissingRunLogFailsNamingBoth) {
  const Status written =
      write_export(run_with({"gone.srl"}), Plan{}, ExportFormat::kJson, "out.json");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error(), "cannot write export 'out.json': cannot open run log 'gone.srl'");
  EXPECT_FALSE(std::filesystem::exists("out.json"));
}

TEST_F(ExportWritersTest, FailedExportKeepsThePreviousFile) {
  write("out.json", "old");
  write("strest-run-1-1-1.srl", "not a run log, long enough to hold a header....");
  const RunResult run =
      run_with({write_run_log("strest-run-1-1-0.srl", sample_records()), "strest-run-1-1-1.srl"});
  ASSERT_FALSE(write_export(run, Plan{}, ExportFormat::kJson, "out.json"));
  EXPECT_EQ(read_text("out.json"), "old");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator("."),
                          std::filesystem::directory_iterator()),
            3);
}

TEST(MetricsWindowFilter, CountsWhatItLeavesOut) {
  MetricsWindowFilter filter({.from = microseconds(10), .to = std::nullopt, .max = 2});
  RunLogRecord record;
  record.start_us = 5;
  EXPECT_FALSE(filter.admit(record));
  record.start_us = 10;
  EXPECT_TRUE(filter.admit(record));
  EXPECT_TRUE(filter.admit(record));
  EXPECT_FALSE(filter.admit(record));  // past max
  EXPECT_EQ(filter.admitted(), 2u);
  EXPECT_EQ(filter.left_out(), 2u);
}

}  // namespace
}  // namespace strest
