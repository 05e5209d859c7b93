// Charts honour --metrics-range and --metrics-max: their series and totals come from the
// requests the window admits.
#include "report/chart_window.h"

#include "export_test_fixture.h"

namespace strest {
namespace {

using ChartWindowTest = ExportTest;

// sample_records() with totals as the run had them (4 requests over 3 s).
RunResult run_of_samples(const std::string& path) {
  RunResult run;
  run.wall = std::chrono::microseconds(3'000'000);
  run.run_log_paths = {path};
  run.totals.ok = 1, run.totals.non_expected_status = 1, run.totals.timeouts = 1;
  run.totals.transport_errors = 1;
  return run;
}

TEST_F(ChartWindowTest, AWindowThatKeepsEverythingIsTheRunItself) {
  const RunResult run = run_of_samples(write_run_log("strest-run-1-1-0.srl", sample_records()));
  auto charted = chart_result(run, MetricsWindow{});
  ASSERT_TRUE(charted.ok()) << charted.error();
  EXPECT_TRUE(charted->series.empty());  // not rebuilt: the run's own (empty) series
  EXPECT_EQ(charted->totals.completed(), 4u);
}

TEST_F(ChartWindowTest, RangeLeavesOutEarlierSecondsAndTheirRequests) {
  const RunResult run = run_of_samples(write_run_log("strest-run-1-1-0.srl", sample_records()));
  MetricsWindow window;
  window.from = Micros(500'000);
  auto charted = chart_result(run, window);
  ASSERT_TRUE(charted.ok()) << charted.error();
  EXPECT_EQ(charted->totals.completed(), 2u);  // the timeout at 1 s and the reset at 2.5 s
  EXPECT_EQ(charted->totals.timeouts, 1u);
  ASSERT_FALSE(charted->series.empty());
  EXPECT_EQ(charted->series.front().second, 0u);  // [0.5 s, 1 s) is in the window
  EXPECT_EQ(charted->series.front().span_us, 500'000);
  uint64_t completed = 0;
  for (const SecondSample& s : charted->series) completed += s.completed;
  EXPECT_EQ(completed, 2u);
}

TEST_F(ChartWindowTest, MaxKeepsTheFirstRequestsInLogOrder) {
  const RunResult run = run_of_samples(write_run_log("strest-run-1-1-0.srl", sample_records()));
  MetricsWindow window;
  window.max = 2;
  auto charted = chart_result(run, window);
  ASSERT_TRUE(charted.ok()) << charted.error();
  EXPECT_EQ(charted->totals.completed(), 2u);
  EXPECT_EQ(charted->totals.ok, 1u);
  EXPECT_EQ(charted->totals.non_expected_status, 1u);
  ASSERT_EQ(charted->series.size(), 1u);
  EXPECT_EQ(charted->series[0].completed, 2u);
}

}  // namespace
}  // namespace strest
