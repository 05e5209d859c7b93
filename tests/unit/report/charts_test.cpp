#include "report/charts.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "in_temp_dir_test.h"
#include "report/chart_data.h"
#include "report/chart_plot.h"

namespace strest {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kReadmeCharts = {
    "average_response_time.png",    "cumulative_successful_requests.png",
    "cumulative_error_rate.png",    "cumulative_total_requests.png",
    "requests_per_second.png",      "latency_percentiles_P50.png",
    "latency_percentiles_P90.png",  "latency_percentiles_P99.png",
    "timeouts_per_second.png",      "error_rate_breakdown.png",
    "status_code_distribution.png", "inflight_requests.png",
};

// A run of `seconds` seconds: a ramp to ~1000 requests/s with a few errors of each kind, and a
// quiet second (no responses) in the middle when there are at least five seconds.
RunResult sample_run(uint64_t seconds) {
  RunResult run;
  for (uint64_t s = 0; s < seconds; ++s) {
    SecondSample sample{.second = s};
    const bool quiet = seconds >= 5 && s == seconds / 2;
    sample.ok = quiet ? 0 : 200 + 80 * std::min<uint64_t>(s, 10);
    sample.timeouts = quiet ? 0 : s % 3;
    sample.transport_errors = quiet ? 0 : s % 2;
    sample.non_expected_status = quiet ? 0 : 5;
    sample.errors = sample.timeouts + sample.transport_errors + sample.non_expected_status;
    sample.completed = sample.ok + sample.errors;
    sample.latency_count = sample.ok + sample.non_expected_status;
    sample.latency_sum_us = static_cast<int64_t>(sample.latency_count) * 4'200;
    if (sample.latency_count > 0) {
      sample.p50_us = 3'900, sample.p90_us = 7'500, sample.p99_us = 12'000 + 100 * s;
      sample.p50_ok_us = 3'800, sample.p90_ok_us = 7'000, sample.p99_ok_us = 11'000;
    }
    sample.in_flight_max = 40 + s % 7;
    run.totals.ok += sample.ok;
    run.totals.status_counts[200] += sample.ok;
    run.totals.status_counts[503] += sample.non_expected_status;
    run.series.push_back(sample);
  }
  run.totals.status_counts[404] += seconds;
  return run;
}

struct PngHeader {
  bool valid = false;
  uint32_t width = 0, height = 0;
};

uint32_t big_endian(const unsigned char* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

// The 8-byte signature, then the IHDR chunk (length 13) with width and height.
PngHeader read_png_header(const std::string& path) {
  unsigned char bytes[24] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(bytes), sizeof bytes)) return {};
  const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (!std::equal(signature, signature + 8, bytes)) return {};
  if (big_endian(bytes + 8) != 13 || std::string(bytes + 12, bytes + 16) != "IHDR") return {};
  return {true, big_endian(bytes + 16), big_endian(bytes + 20)};
}

void expect_twelve_pngs(const std::vector<std::string>& paths, const fs::path& directory) {
  ASSERT_EQ(paths.size(), kReadmeCharts.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(fs::path(paths[i]), directory / kReadmeCharts[i]);
    const PngHeader header = read_png_header(paths[i]);
    EXPECT_TRUE(header.valid) << paths[i];
    EXPECT_EQ(header.width, 1000u) << paths[i];
    EXPECT_EQ(header.height, 600u) << paths[i];
  }
}

// "run-YYYYmmdd-HHMMSS", optionally followed by "-N".
bool is_run_folder_name(const std::string& name) {
  const std::string shape = "run-dddddddd-dddddd";
  if (name.size() < shape.size()) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(name[i]))
                        : name[i] != shape[i]) {
      return false;
    }
  }
  const std::string suffix = name.substr(shape.size());
  return suffix.empty() || (suffix.size() >= 2 && suffix[0] == '-' &&
                            suffix.find_first_not_of("0123456789", 1) == std::string::npos);
}

using ChartsTest = InTempDirTest;

TEST_F(ChartsTest, WritesTheTwelveReadmeChartsAsPngs) {
  const auto paths = write_charts(sample_run(30), "charts");
  ASSERT_TRUE(paths.ok()) << paths.error();
  expect_twelve_pngs(*paths, "charts");
}

TEST_F(ChartsTest, EmptyRunStillGivesTwelveValidPngs) {
  const auto paths = write_charts(RunResult{}, "empty");
  ASSERT_TRUE(paths.ok()) << paths.error();
  expect_twelve_pngs(*paths, "empty");
}

TEST_F(ChartsTest, OneSecondRunAndLongRunWork) {
  const auto one = write_charts(sample_run(1), "one");
  ASSERT_TRUE(one.ok()) << one.error();
  expect_twelve_pngs(*one, "one");
  const auto long_run = write_charts(sample_run(3600), "long");
  ASSERT_TRUE(long_run.ok()) << long_run.error();
  expect_twelve_pngs(*long_run, "long");
}

TEST_F(ChartsTest, CreatesParentFoldersAndOverwrites) {
  ASSERT_TRUE(write_charts(sample_run(3), "a/b/c").ok());
  const auto again = write_charts(sample_run(4), "a/b/c");
  ASSERT_TRUE(again.ok()) << again.error();
  expect_twelve_pngs(*again, "a/b/c");
}

TEST_F(ChartsTest, FolderThatIsAFileIsAClearError) {
  write("taken", "not a folder");
  const auto paths = write_charts(sample_run(3), "taken");
  ASSERT_FALSE(paths.ok());
  EXPECT_NE(paths.error().find("'taken'"), std::string::npos) << paths.error();
  EXPECT_NE(paths.error().find("--charts-path"), std::string::npos) << paths.error();
}

TEST_F(ChartsTest, UnwritableFileIsAnErrorNotAnExit) {
  fs::create_directories("charts/requests_per_second.png");  // a folder where a file must go
  const auto paths = write_charts(sample_run(3), "charts");
  ASSERT_FALSE(paths.ok());
  EXPECT_NE(paths.error().find("requests_per_second.png"), std::string::npos) << paths.error();
}

TEST_F(ChartsTest, CallsFromTwoThreadsAreSerialised) {
  Result<std::vector<std::string>> first = Error{""}, second = Error{""};
  std::thread a([&] { first = write_charts(sample_run(10), "t1"); });
  std::thread b([&] { second = write_charts(RunResult{}, "t2"); });
  a.join();
  b.join();
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_TRUE(second.ok()) << second.error();
  expect_twelve_pngs(*first, "t1");
  expect_twelve_pngs(*second, "t2");
}

TEST_F(ChartsTest, RunFoldersAreNewAndDistinct) {
  const std::string first = run_charts_folder("base");
  const std::string second = run_charts_folder("base");
  const std::string third = run_charts_folder("base");
  EXPECT_TRUE(fs::is_directory(first));
  EXPECT_TRUE(fs::is_directory(second));
  EXPECT_NE(first, second);
  EXPECT_NE(second, third);
  EXPECT_NE(first, third);
  for (const std::string& folder : {first, second, third}) {
    EXPECT_EQ(fs::path(folder).parent_path(), fs::path("base"));
    EXPECT_TRUE(is_run_folder_name(fs::path(folder).filename().string())) << folder;
  }
}

TEST(ChartsPathTest, DefaultIsUnderHome) {
  const char* old = std::getenv("HOME");
  const std::string saved = old != nullptr ? old : "";
  setenv("HOME", "/home/tester", 1);
  EXPECT_EQ(default_charts_path(), "/home/tester/.strest/charts");
  unsetenv("HOME");
  EXPECT_EQ(default_charts_path(), "./.strest/charts");
  if (old != nullptr) setenv("HOME", saved.c_str(), 1);
}

TEST(ChartDataTest, SpecsFollowTheReadmeOrder) { EXPECT_EQ(chart_file_names(), kReadmeCharts); }

const ChartSpec& spec_named(const std::vector<ChartSpec>& specs, const std::string& name) {
  for (const ChartSpec& spec : specs) {
    if (spec.file_name == name) return spec;
  }
  throw std::runtime_error("no chart " + name);
}

TEST(ChartDataTest, PerSecondValuesSitInTheMiddleOfTheirSecond) {
  const auto specs = chart_specs(sample_run(3));
  const ChartSpec& rps = spec_named(specs, "requests_per_second.png");
  EXPECT_EQ(rps.x, (std::vector<double>{0.5, 1.5, 2.5}));
  EXPECT_EQ(rps.x_min, 0);
  EXPECT_EQ(rps.x_max, 3);
  ASSERT_EQ(rps.lines.size(), 1u);
  EXPECT_EQ(rps.lines[0].y[0], 205);  // 200 ok + 5 non-expected status
}

// A 3.005 s run: its last second lasted 5 ms, and its 1 request in them is a rate of 200/s,
// not a collapse to 1 request per second.
TEST(ChartDataTest, APartialLastSecondIsRatedByItsLength) {
  RunResult run = sample_run(4);
  SecondSample& last = run.series.back();
  last.span_us = 5'000;
  last.ok = 1, last.timeouts = 1, last.transport_errors = 0, last.non_expected_status = 0;
  last.errors = 1, last.completed = 2;
  const auto specs = chart_specs(run);
  const ChartSpec& rps = spec_named(specs, "requests_per_second.png");
  ASSERT_EQ(rps.x.size(), 4u);
  EXPECT_DOUBLE_EQ(rps.x[3], 3.0025);  // the middle of the 5 ms
  EXPECT_DOUBLE_EQ(rps.x_max, 3.005);
  EXPECT_DOUBLE_EQ(rps.lines[0].y[3], 400);
  EXPECT_DOUBLE_EQ(rps.lines[0].y[2], static_cast<double>(run.series[2].completed));
  EXPECT_DOUBLE_EQ(spec_named(specs, "timeouts_per_second.png").lines[0].y[3], 200);
  const ChartSpec& total = spec_named(specs, "cumulative_total_requests.png");
  EXPECT_DOUBLE_EQ(total.x.back(), 3.005);
}

// A 2 s run ends at 2.004 s: the 4 ms after its deadline only cancel what was in flight.
TEST(ChartDataTest, AnEmptyPartialLastSecondIsLeftOut) {
  RunResult run = sample_run(2);
  run.series.push_back(SecondSample{.second = 2, .span_us = 4'000});
  const auto specs = chart_specs(run);
  const ChartSpec& rps = spec_named(specs, "requests_per_second.png");
  EXPECT_EQ(rps.x, (std::vector<double>{0.5, 1.5}));
  EXPECT_EQ(rps.x_max, 2);
}

// A stall at the end is not a shutdown: requests were in flight, so the second stays, at 0.
TEST(ChartDataTest, AStallAtTheEndKeepsItsSecond) {
  RunResult run = sample_run(2);
  run.series.push_back(SecondSample{.second = 2, .in_flight_max = 8, .span_us = 500'000});
  const ChartSpec rps = spec_named(chart_specs(run), "requests_per_second.png");
  EXPECT_EQ(rps.x, (std::vector<double>{0.5, 1.5, 2.25}));
  EXPECT_EQ(rps.lines[0].y[2], 0);
}

TEST(ChartDataTest, CumulativeChartsStartAtZeroAndAddUp) {
  RunResult run;
  run.series = {SecondSample{.second = 0, .completed = 10, .ok = 8, .errors = 2},
                SecondSample{.second = 1, .completed = 20, .ok = 20, .errors = 0}};
  const auto specs = chart_specs(run);
  const ChartSpec& ok = spec_named(specs, "cumulative_successful_requests.png");
  EXPECT_EQ(ok.x, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(ok.x_max, 2);
  EXPECT_EQ(ok.lines[0].y, (std::vector<double>{0, 8, 28}));
  const ChartSpec& total = spec_named(specs, "cumulative_total_requests.png");
  EXPECT_EQ(total.lines[0].y, (std::vector<double>{0, 10, 30}));
  const ChartSpec& rate = spec_named(specs, "cumulative_error_rate.png");
  EXPECT_DOUBLE_EQ(rate.lines[0].y[0], 20.0);
  EXPECT_DOUBLE_EQ(rate.lines[0].y[1], 100.0 * 2 / 30);
  EXPECT_EQ(rate.y_limit, 100);
}

TEST(ChartDataTest, SecondsWithoutResponsesAreGapsInLatencyLines) {
  RunResult run;
  run.series = {SecondSample{.second = 0,
                             .latency_sum_us = 3000,
                             .latency_count = 2,
                             .p50_us = 1500,
                             .p50_ok_us = 1400},
                SecondSample{.second = 1}};
  const auto specs = chart_specs(run);
  const ChartSpec& average = spec_named(specs, "average_response_time.png");
  EXPECT_DOUBLE_EQ(average.lines[0].y[0], 1.5);
  EXPECT_TRUE(std::isnan(average.lines[0].y[1]));
  const ChartSpec& p50 = spec_named(specs, "latency_percentiles_P50.png");
  ASSERT_EQ(p50.lines.size(), 2u);
  EXPECT_EQ(p50.lines[0].label, "all responses");
  EXPECT_DOUBLE_EQ(p50.lines[0].y[0], 1.5);
  EXPECT_DOUBLE_EQ(p50.lines[1].y[0], 1.4);
  EXPECT_TRUE(std::isnan(p50.lines[1].y[1]));
  EXPECT_FALSE(p50.empty());
  EXPECT_TRUE(spec_named(specs, "latency_percentiles_P99.png").empty());
}

TEST(ChartDataTest, ErrorBreakdownHasThreeKinds) {
  const auto specs = chart_specs(sample_run(5));
  const ChartSpec& errors = spec_named(specs, "error_rate_breakdown.png");
  ASSERT_EQ(errors.lines.size(), 3u);
  EXPECT_EQ(errors.lines[0].label, "timeouts");
  EXPECT_EQ(errors.lines[1].label, "transport errors");
  EXPECT_EQ(errors.lines[2].label, "non-expected status");
  EXPECT_EQ(errors.lines[0].y[4], 1);  // second 4: 4 % 3 timeouts
}

TEST(ChartDataTest, StatusBarsListOnlyCodesSeen) {
  const auto specs = chart_specs(sample_run(2));
  const ChartSpec& codes = spec_named(specs, "status_code_distribution.png");
  ASSERT_EQ(codes.bars.size(), 3u);
  EXPECT_EQ(codes.bars[0].label, "200");
  EXPECT_EQ(codes.bars[1].label, "404");
  EXPECT_EQ(codes.bars[1].value, 2);
  EXPECT_EQ(codes.bars[2].label, "503");
  EXPECT_EQ(codes.bars[0].color, ChartColor::kGreen);
  EXPECT_EQ(codes.bars[2].color, ChartColor::kRed);
}

TEST(ChartDataTest, EmptyRunGivesEmptySpecsWithANote) {
  for (const ChartSpec& spec : chart_specs(RunResult{})) {
    EXPECT_TRUE(spec.empty()) << spec.file_name;
    EXPECT_FALSE(spec.no_data_note.empty()) << spec.file_name;
  }
}

TEST(ChartPlotTest, TickStepsAreRound) {
  EXPECT_DOUBLE_EQ(nice_tick_step(10, 5), 2);
  EXPECT_DOUBLE_EQ(nice_tick_step(1, 5), 0.2);
  EXPECT_DOUBLE_EQ(nice_tick_step(12, 5), 2.5);
  EXPECT_DOUBLE_EQ(nice_tick_step(3600, 8), 500);
  EXPECT_DOUBLE_EQ(nice_tick_step(0, 5), 1);
}

TEST(ChartPlotTest, TickLabelsAreShortAndExact) {
  EXPECT_EQ(format_tick(400, 100, 1), "400");
  EXPECT_EQ(format_tick(0.4, 0.2, 1), "0.4");
  EXPECT_EQ(format_tick(0.25, 0.05, 1), "0.25");
  EXPECT_EQ(format_tick(7.5, 2.5, 1), "7.5");
  EXPECT_EQ(format_tick(0.0015, 0.0005, 1), "0.0015");
  EXPECT_EQ(format_tick(20000, 5000, 1e3), "20k");
  EXPECT_EQ(format_tick(2500, 500, 1e3), "2.5k");
  EXPECT_EQ(format_tick(1.5e6, 5e5, 1e6), "1.5M");
  EXPECT_EQ(format_tick(1.25e9, 2.5e8, 1e9), "1.25G");
  EXPECT_EQ(format_tick(-1e-12, 0.2, 1), "0");
  EXPECT_EQ(format_tick(0, 5000, 1e3), "0");
}

TEST(ChartPlotTest, CairoDriverIsInstalled) { EXPECT_TRUE(chart_driver_available()); }

}  // namespace
}  // namespace strest
