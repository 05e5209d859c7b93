// The dashboard's model and layout, on an in-memory screen: what a person at the terminal
// would read, at 80x24 and on a large terminal, with times given (no clock, no terminal).
#include <gtest/gtest.h>

#include <string>

#include "metrics/snapshot.h"
#include "ui/dashboard_model.h"
#include "ui/dashboard_view.h"

namespace strest {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

DashboardSetup closed_loop_setup() {
  DashboardSetup setup;
  setup.target = "http://127.0.0.1:8080/";
  setup.max_tasks = 50;
  setup.planned_us = 10'000'000;
  return setup;
}

// A run 4.5 s in: 1000 ok (1-10 ms), 20 non-expected 503s, 3 request timeouts, 2 refused
// connects, 5 cancelled; seconds 0..3 in the series.
struct RunSoFar {
  RunSoFar() {
    for (int i = 0; i < 1000; ++i) {
      totals.latency_all.record(1000 + i * 9);
      totals.latency_ok.record(1000 + i * 9);
    }
    totals.ok = 1000;
    totals.status_counts[200] = 1000;
    totals.non_expected_status = 20;
    totals.status_counts[503] = 20;
    for (int i = 0; i < 20; ++i) totals.latency_all.record(50'000);
    totals.timeouts = 3;
    totals.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kRequest)] = 3;
    totals.transport_errors = 2;
    totals.transport_by_kind[static_cast<size_t>(TransportError::kConnectRefused)] = 2;
    totals.cancelled = 5;
    totals.connections_by_protocol[0] = 50;
    totals.bytes_received = 1'000'000;
    for (uint64_t s = 0; s < 4; ++s) {
      series.push_back(SecondSample{.second = s,
                                    .completed = 250 + s,
                                    .latency_count = 250,
                                    .p50_us = s < 2 ? 2'000 : 0,
                                    .p90_us = s < 2 ? 4'000 : 0,
                                    .p99_us = s < 2 ? 9'000 : 0});
    }
  }
  Snapshot at(int64_t elapsed_us) const {
    return Snapshot{.elapsed_us = elapsed_us,
                    .totals = &totals,
                    .series = &series,
                    .recent_rps = 251.0,
                    .in_flight = 50};
  }
  Tally totals;
  std::vector<SecondSample> series;
};

TEST(DashboardModel, CountsAndRatesComeFromTheSnapshot) {
  DashboardModel model(closed_loop_setup());
  const RunSoFar run;
  model.update(run.at(4'500'000));
  const DashboardState& state = model.state();
  EXPECT_EQ(state.total, 1025u);
  EXPECT_EQ(state.ok, 1000u);
  EXPECT_EQ(state.non_expected, 20u);
  EXPECT_EQ(state.timeouts, 3u);
  EXPECT_EQ(state.transport_errors, 2u);
  EXPECT_EQ(state.cancelled, 5u);
  EXPECT_EQ(state.in_flight, 50u);
  EXPECT_DOUBLE_EQ(state.rps, 251.0);
  EXPECT_EQ(state.protocol, "HTTP/1.1");
  EXPECT_EQ(state.mode, "closed loop, c=50");
  EXPECT_DOUBLE_EQ(state.progress, 0.45);
  EXPECT_EQ(state.remaining_us, 5'500'000);
  EXPECT_EQ(state.latency_ok.p50, run.totals.latency_ok.value_at_percentile(50));
  EXPECT_EQ(state.latency_all.p999, run.totals.latency_all.value_at_percentile(99.9));
}

TEST(DashboardModel, ChartsShowWholeSecondsAndStopWherePercentilesAreNotKnownYet) {
  DashboardModel model(closed_loop_setup());
  const RunSoFar run;
  model.update(run.at(4'500'000));
  const DashboardState& state = model.state();
  ASSERT_EQ(state.rps_series.size(), 4u);  // seconds 0-3 are whole at 4.5 s
  EXPECT_EQ(state.rps_series[3], 253.0);
  ASSERT_EQ(state.latency_lines.size(), 3u);
  EXPECT_EQ(state.latency_lines[0].points, (std::vector<double>{2.0, 2.0}));  // p50 in ms
  EXPECT_EQ(state.latency_lines[2].points, (std::vector<double>{9.0, 9.0}));
}

TEST(DashboardModel, TheWindowKeepsTheLastSeconds) {
  DashboardSetup setup = closed_loop_setup();
  setup.window_us = 2'000'000;
  DashboardModel model(setup);
  const RunSoFar run;
  model.update(run.at(4'500'000));
  EXPECT_EQ(model.state().window_start_s, 2);
  EXPECT_EQ(model.state().rps_series, (std::vector<double>{252.0, 253.0}));
}

TEST(DashboardModel, BreakdownsAreLargestFirst) {
  DashboardModel model(closed_loop_setup());
  const RunSoFar run;
  model.update(run.at(4'500'000));
  const DashboardState& state = model.state();
  ASSERT_EQ(state.status_counts.size(), 2u);
  EXPECT_EQ(state.status_counts[0], (std::pair<int, uint64_t>{200, 1000}));
  ASSERT_EQ(state.errors.size(), 3u);
  EXPECT_EQ(state.errors[0].first, "non-expected status");
  EXPECT_EQ(state.errors[1].first, "request timeout");
  EXPECT_EQ(state.errors[2].first, "connect_refused");
}

TEST(DashboardModel, OpenLoopStagesNameTheStageAndItsTarget) {
  DashboardSetup setup = closed_loop_setup();
  setup.load = LoadProfile{
      .start_rps = 10, .stages = {{std::chrono::seconds(2), 100}, {std::chrono::seconds(2), 50}}};
  DashboardModel model(setup);
  const RunSoFar run;
  model.update(run.at(2'500'000));
  EXPECT_EQ(model.state().mode, "open loop, stage 2/2 to 50 req/s");
  EXPECT_TRUE(model.state().open_loop);
  setup.load = LoadProfile{.start_rps = 2000, .stages = {}};
  DashboardModel steady(setup);
  steady.update(run.at(1'000'000));
  EXPECT_EQ(steady.state().mode, "open loop, 2000 req/s");
}

TEST(DashboardModel, ThresholdsAreJudgedLive) {
  DashboardSetup setup = closed_loop_setup();
  setup.thresholds = {*parse_threshold("error_rate<1%"), *parse_threshold("p50<100ms")};
  DashboardModel model(setup);
  const RunSoFar run;
  model.update(run.at(4'500'000));
  const auto& lines = model.state().thresholds;
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(lines[0].passed);  // 25 of 1025 failed: 2.4%
  EXPECT_TRUE(lines[1].passed);
}

TEST(DashboardModel, RequestBudgetDrivesProgressWithoutADuration) {
  DashboardSetup setup = closed_loop_setup();
  setup.planned_us.reset();
  setup.planned_requests = 2050;
  DashboardModel model(setup);
  const RunSoFar run;
  model.update(run.at(1'000'000));
  EXPECT_DOUBLE_EQ(model.state().progress, 0.5);
  EXPECT_FALSE(model.state().remaining_us.has_value());
}

Screen drawn(const DashboardState& state, int width, int height, bool help = false) {
  Screen screen(width, height);
  draw_dashboard(state, screen, help);
  return screen;
}

TEST(DashboardView, At80x24EverySectionIsOnScreen) {
  DashboardModel model(closed_loop_setup());
  const RunSoFar run;
  model.update(run.at(4'500'000));
  const std::string text = drawn(model.state(), 80, 24).text();
  for (const char* part : {"http://127.0.0.1:8080/",
                           "HTTP/1.1",
                           "closed loop, c=50",
                           "elapsed 4.5s",
                           "remaining 5.5s",
                           "Requests",
                           "1025",
                           "RPS",
                           "251.0",
                           "RPM",
                           "15060",
                           "Errors       25  2.44%",
                           "  timeouts   3",
                           "transport 2",
                           "  status     20",
                           "In flight    50",
                           "cancelled 5",
                           "Latency ms",
                           "p99.9",
                           "Requests/s",
                           "Latency p50 p90 p99",
                           "Status",
                           "200 ███████▉ 1000 (98.0%)",
                           "503 ▏······· 20 (2.0%)",
                           "request timeout 3",
                           "connect_refused 2",
                           "q quit"}) {
    EXPECT_TRUE(contains(text, part)) << "missing '" << part << "' in:\n" << text;
  }
}

TEST(DashboardView, OpenLoopShowsCorrectedAndServiceRowsAndLag) {
  DashboardSetup setup = closed_loop_setup();
  setup.load = LoadProfile{.start_rps = 2000, .stages = {}};
  DashboardModel model(setup);
  RunSoFar run;
  run.totals.late_starts = 7;
  run.totals.scheduled_starts = 100;
  run.totals.lag_sum_us = 50'000;
  run.totals.lag_max_us = 3'000;
  run.totals.service_all.record(1'500);
  model.update(run.at(4'500'000));
  const std::string text = drawn(model.state(), 80, 24).text();
  for (const char* part : {"all (corr.)", "ok (corr.)", "all service", "ok service", "Late starts",
                           "7", "Lag ms       avg 0.500  max 3.000"}) {
    EXPECT_TRUE(contains(text, part)) << "missing '" << part << "' in:\n" << text;
  }
}

TEST(DashboardView, ALargeTerminalGetsTallerCharts) {
  DashboardModel model(closed_loop_setup());
  const RunSoFar run;
  model.update(run.at(4'500'000));
  auto chart_rows = [&](int height) {
    const Screen screen = drawn(model.state(), 160, height);
    int rows = 0;
    for (int row = 0; row < screen.height(); ++row) {
      if (contains(screen.line(row), "█")) ++rows;
    }
    return rows;
  };
  EXPECT_GT(chart_rows(60), chart_rows(24));
}

TEST(DashboardView, TooSmallScreensGetOneLine) {
  DashboardModel model(closed_loop_setup());
  const RunSoFar run;
  model.update(run.at(4'500'000));
  const Screen screen = drawn(model.state(), 60, 10);
  EXPECT_TRUE(contains(screen.line(0), "1025 req"));
  EXPECT_TRUE(contains(screen.line(0), "80x24"));
  EXPECT_EQ(screen.line(1), "");
}

TEST(DashboardView, HelpListsTheKeys) {
  DashboardModel model(closed_loop_setup());
  const RunSoFar run;
  model.update(run.at(4'500'000));
  const std::string text = drawn(model.state(), 80, 24, true).text();
  EXPECT_TRUE(contains(text, "end the run; every result is kept")) << text;
}

TEST(DashboardView, ReplayShowsMarksOnTheTimeAxisAndItsKeys) {
  DashboardModel model(closed_loop_setup());
  const RunSoFar run;
  model.update(run.at(4'000'000));
  model.state().replay = ReplayStatus{.paused = true,
                                      .duration_us = 8'000'000,
                                      .step_us = 5'000'000,
                                      .mark_start_us = 0,
                                      .mark_end_us = 6'000'000};
  const Screen screen = drawn(model.state(), 80, 24);
  const std::string axis = screen.line(22);
  EXPECT_TRUE(contains(axis, "S")) << axis;
  EXPECT_TRUE(contains(axis, "E")) << axis;
  EXPECT_TRUE(contains(axis, "‖")) << axis;  // paused at 4 s, half way
  EXPECT_LT(axis.find("S"), axis.find("‖"));
  EXPECT_LT(axis.find("‖"), axis.find("E"));
  const std::string text = screen.text();
  for (const char* part : {"[replay, paused]", "space play/pause", "seek 5.0s", "r restart",
                           "s/e mark", "w write snapshot"}) {
    EXPECT_TRUE(contains(text, part)) << "missing '" << part << "' in:\n" << text;
  }
}

TEST(DashboardView, FormatClock) {
  EXPECT_EQ(format_clock(4'500'000), "4.5s");
  EXPECT_EQ(format_clock(125'000'000), "2m05s");
  EXPECT_EQ(format_clock(3'720'000'000), "1h02m");
}

}  // namespace
}  // namespace strest
