#include "ui/dashboard_view.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace strest {

namespace {

// Each status code's share of the responses, as a bar this many cells wide.
constexpr int kStatusBarCells = 8;

std::string printf_text(const char* format, double value) {
  char text[48];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// Milliseconds with the digits that matter: 0.074, 12.35, 123.5 (fits a 7-cell column).
std::string ms_text(int64_t us) {
  const double ms = static_cast<double>(us) / 1000.0;
  return printf_text(ms < 10 ? "%.3f" : ms < 100 ? "%.2f" : "%.1f", ms);
}

std::string bytes_rate_text(double bytes_per_second) {
  if (bytes_per_second >= 1e9) return printf_text("%.2f GB/s", bytes_per_second / 1e9);
  if (bytes_per_second >= 1e6) return printf_text("%.2f MB/s", bytes_per_second / 1e6);
  if (bytes_per_second >= 1e3) return printf_text("%.1f kB/s", bytes_per_second / 1e3);
  return printf_text("%.0f B/s", bytes_per_second);
}

// "label value" pairs on one row, each label dim and each value in its own style.
class RowWriter {
 public:
  RowWriter(Screen& screen, int row, int col, int width)
      : screen_(screen), row_(row), col_(col), end_(col + width) {}
  RowWriter& label(std::string_view text) { return write(text, Style::kDim); }
  RowWriter& value(std::string_view text, Style style = Style::kBold) { return write(text, style); }
  RowWriter& gap(int cells = 2) {
    col_ += cells;
    return *this;
  }
  // A bar of `cells` filled to `fraction`, as far as the row has room.
  RowWriter& meter(double fraction, int cells, Style style) {
    cells = std::min(cells, end_ - col_);
    draw_meter(screen_, row_, col_, cells, fraction, style);
    col_ += std::max(cells, 0);
    return *this;
  }
  RowWriter& pad_to(int column) {
    col_ = std::max(col_, column);
    return *this;
  }

 private:
  RowWriter& write(std::string_view text, Style style) {
    if (col_ < end_) col_ += screen_.put(row_, col_, text, style, end_ - col_);
    return *this;
  }
  Screen& screen_;
  int row_, col_, end_;
};

void draw_header(const DashboardState& state, Screen& screen) {
  const int width = screen.width();
  RowWriter title(screen, 0, 1, width - 2);
  title.value("strest", Style::kAccent).gap().value(state.target, Style::kBold).gap();
  if (!state.protocol.empty()) title.label(state.protocol).gap();
  title.label(state.mode);
  if (state.replay)
    title.gap().value(state.replay->paused ? "[replay, paused]" : "[replay]", Style::kWarn);

  RowWriter clock(screen, 1, 1, width - 2);
  clock.label("elapsed ").value(format_clock(state.elapsed_us));
  if (state.remaining_us && !state.finished) {
    clock.gap().label("remaining ").value(format_clock(*state.remaining_us));
  }
  if (state.finished) clock.gap().value("finished", Style::kGood);
  if (state.progress >= 0) {
    const int bar_col = std::max(40, width - 32);
    const int bar_width = width - bar_col - 7;
    if (bar_width >= 8) {
      draw_meter(screen, 1, bar_col, bar_width, state.progress, Style::kAccent);
      screen.put(1, bar_col + bar_width + 1, printf_text("%3.0f%%", state.progress * 100.0),
                 Style::kBold);
    }
  }
  if (!state.notice.empty()) screen.put(2, 1, state.notice, Style::kWarn, width - 2);
}

// Rows 3.. of the left column: counts and rates, short enough for 36 cells at 80x24.
int draw_counters(const DashboardState& state, Screen& screen, int row, int width) {
  const int value_col = 13;
  auto line = [&](std::string_view label) {
    RowWriter writer(screen, row++, 1, width - 1);
    writer.label(label).pad_to(1 + value_col);
    return writer;
  };
  auto style_if = [](uint64_t count, Style style) { return count > 0 ? style : Style::kNormal; };
  line("Requests")
      .value(std::to_string(state.total))
      .gap()
      .label("ok ")
      .value(std::to_string(state.ok), Style::kGood);
  const uint64_t errors = state.timeouts + state.transport_errors + state.non_expected;
  const double error_share =
      state.total == 0 ? 0 : static_cast<double>(errors) * 100.0 / static_cast<double>(state.total);
  line("Errors")
      .value(std::to_string(errors), errors > 0 ? Style::kBad : Style::kBold)
      .gap()
      .label(printf_text("%.2f%%", error_share));
  line("  timeouts")
      .value(std::to_string(state.timeouts), style_if(state.timeouts, Style::kWarn))
      .gap()
      .label("transport ")
      .value(std::to_string(state.transport_errors), style_if(state.transport_errors, Style::kBad));
  line("  status")
      .value(std::to_string(state.non_expected), style_if(state.non_expected, Style::kBad))
      .gap()
      .label("cancelled ")
      .value(std::to_string(state.cancelled), Style::kNormal);
  line("RPS")
      .value(printf_text("%.1f", state.rps))
      .gap()
      .label("RPM ")
      .value(printf_text("%.0f", state.rps * 60.0), Style::kNormal);
  line("In flight")
      .value(std::to_string(state.in_flight))
      .gap()
      .value(bytes_rate_text(state.bytes_per_second), Style::kNormal);
  if (state.open_loop) {
    line("Late starts")
        .value(std::to_string(state.late_starts), style_if(state.late_starts, Style::kWarn));
    line("Lag ms")
        .label("avg ")
        .value(ms_text(static_cast<int64_t>(state.lag_avg_us)), Style::kNormal)
        .gap()
        .label("max ")
        .value(ms_text(state.lag_max_us), Style::kNormal);
  }
  return row;
}

// The right column: all vs ok percentiles, and service time in open loop.
int draw_latency(const DashboardState& state, Screen& screen, int row, int col, int width) {
  const int cell = std::min(9, std::max(7, (width - 14) / 4));
  auto columns = [&](int r, const std::string& label, const PercentileRow& p, Style style) {
    screen.put(r, col, label, Style::kDim, 13);
    const int64_t values[] = {p.p50, p.p90, p.p99, p.p999};
    for (int i = 0; i < 4; ++i) {
      const std::string text = p.count > 0 ? ms_text(values[i]) : "-";
      const int right = col + 13 + (i + 1) * cell;
      screen.put(r, right - static_cast<int>(text.size()), text, style);
    }
  };
  screen.put(row, col, "Latency ms", Style::kBold);
  const char* heads[] = {"p50", "p90", "p99", "p99.9"};
  for (int i = 0; i < 4; ++i) {
    const int right = col + 13 + (i + 1) * cell;
    screen.put(row, right - static_cast<int>(std::string_view(heads[i]).size()), heads[i],
               Style::kDim);
  }
  ++row;
  columns(row++, state.open_loop ? "all (corr.)" : "all", state.latency_all, Style::kBold);
  columns(row++, state.open_loop ? "ok (corr.)" : "ok", state.latency_ok, Style::kGood);
  if (state.open_loop) {
    columns(row++, "all service", state.service_all, Style::kNormal);
    columns(row++, "ok service", state.service_ok, Style::kNormal);
  }
  return row;
}

void draw_chart_frame(Screen& screen, const Rect& rect, const std::string& title,
                      const std::string& top_label) {
  screen.put(rect.row, rect.col, title, Style::kBold, rect.width);
  if (!top_label.empty()) {
    const int col = rect.col + rect.width - static_cast<int>(top_label.size());
    screen.put(rect.row, std::max(col, rect.col), top_label, Style::kDim);
  }
}

void draw_charts(const DashboardState& state, Screen& screen, const Rect& area) {
  if (area.height < 3) return;
  const int half = area.width / 2;
  const Rect rps_rect{area.row, area.col, area.height, half - 1};
  const Rect latency_rect{area.row, area.col + half + 1, area.height, area.width - half - 1};
  double rps_max = 0;
  for (double value : state.rps_series) rps_max = std::max(rps_max, value);
  const std::string window = "last " + std::to_string(state.window_seconds) + "s";
  draw_chart_frame(screen, rps_rect, "Requests/s, " + window,
                   rps_max > 0 ? printf_text("max %.0f", rps_max) : "");
  draw_columns(screen, Rect{rps_rect.row + 1, rps_rect.col, rps_rect.height - 1, rps_rect.width},
               state.rps_series, rps_max, Style::kAccent,
               static_cast<size_t>(state.window_seconds));
  double latency_max = 0;
  for (const BrailleLine& line : state.latency_lines) {
    for (double value : line.points) latency_max = std::max(latency_max, value);
  }
  draw_chart_frame(screen, latency_rect, "Latency p50 p90 p99",
                   latency_max > 0 ? printf_text("max %.2fms", latency_max) : "");
  // The legend colours the three names of the title.
  screen.put(latency_rect.row, latency_rect.col + 8, "p50", Style::kGood);
  screen.put(latency_rect.row, latency_rect.col + 12, "p90", Style::kWarn);
  screen.put(latency_rect.row, latency_rect.col + 16, "p99", Style::kBad);
  draw_braille_lines(
      screen,
      Rect{latency_rect.row + 1, latency_rect.col, latency_rect.height - 1, latency_rect.width},
      state.latency_lines, latency_max, static_cast<size_t>(state.window_seconds));
}

void draw_breakdowns(const DashboardState& state, Screen& screen, int row, int rows) {
  const int width = screen.width();
  uint64_t responses = 0;
  for (const auto& [code, count] : state.status_counts) responses += count;
  RowWriter status(screen, row, 1, width - 2);
  status.label("Status  ");
  if (state.status_counts.empty()) status.label("none yet");
  for (const auto& [code, count] : state.status_counts) {
    const double share = static_cast<double>(count) / static_cast<double>(responses);
    const Style style = code >= 200 && code < 400 ? Style::kGood : Style::kBad;
    status.value(std::to_string(code), style).gap(1);
    status.meter(share, kStatusBarCells, style).gap(1);
    status.value(std::to_string(count) + printf_text(" (%.1f%%)", share * 100.0), Style::kNormal)
        .gap();
  }
  if (rows < 2) return;
  RowWriter errors(screen, row + 1, 1, width - 2);
  errors.label("Errors  ");
  if (state.errors.empty()) errors.label("none");
  for (const auto& [name, count] : state.errors) {
    errors.value(name, Style::kBad).gap(1).value(std::to_string(count), Style::kNormal).gap();
  }
  if (rows < 3 || state.thresholds.empty()) return;
  RowWriter checks(screen, row + 2, 1, width - 2);
  checks.label("Checks  ");
  for (const ThresholdLine& line : state.thresholds) {
    checks.value(line.passed ? "PASS " : "FAIL ", line.passed ? Style::kGood : Style::kBad)
        .value(line.expression, Style::kNormal)
        .gap(1)
        .label("(" + line.actual + ")")
        .gap();
  }
}

// The replay's time axis: position, the snapshot marks, and the keys.
void draw_timeline(const DashboardState& state, Screen& screen, int row) {
  const ReplayStatus& replay = *state.replay;
  const int col = 1;
  const int width = screen.width() - 2;
  if (width < 10 || replay.duration_us <= 0) return;
  auto x_of = [&](int64_t us) {
    const double fraction =
        std::clamp(static_cast<double>(us) / static_cast<double>(replay.duration_us), 0.0, 1.0);
    return col + static_cast<int>(fraction * (width - 1));
  };
  for (int x = col; x < col + width; ++x) screen.set(row, x, "─", Style::kDim);
  const int position = x_of(state.elapsed_us);
  for (int x = col; x <= position; ++x) screen.set(row, x, "━", Style::kAccent);
  if (replay.mark_start_us) screen.set(row, x_of(*replay.mark_start_us), "S", Style::kWarn);
  if (replay.mark_end_us) screen.set(row, x_of(*replay.mark_end_us), "E", Style::kWarn);
  screen.set(row, position, replay.paused ? "‖" : "▶", Style::kBold);
}

void draw_footer(const DashboardState& state, Screen& screen) {
  const int row = screen.height() - 1;
  if (state.replay) {
    screen.put(row, 1,
               "space play/pause  ←/→ seek " + format_clock(state.replay->step_us) +
                   "  r restart  s/e mark  w write snapshot  ? help  q quit",
               Style::kDim, screen.width() - 2);
  } else {
    screen.put(row, 1, "q quit (results kept)  ? help", Style::kDim, screen.width() - 2);
  }
}

void draw_help(const DashboardState& state, Screen& screen, const Rect& area) {
  std::vector<std::string> lines = {"Keys", "q, Ctrl+C  end the run; every result is kept",
                                    "?          show or hide this help"};
  if (state.replay) {
    lines = {"Replay keys",
             "space      play / pause",
             "← →        seek back / forward by the step",
             "r          restart from the beginning",
             "s / e      mark the snapshot start / end here",
             "w          write the snapshot between the marks",
             "?          show or hide this help",
             "q          quit"};
  }
  const int width = std::min(area.width, 56);
  const int height = std::min(area.height, static_cast<int>(lines.size()) + 2);
  const int top = area.row + (area.height - height) / 2;
  const int left = area.col + (area.width - width) / 2;
  for (int r = 0; r < height; ++r) {
    for (int c = 0; c < width; ++c) {
      const bool edge = r == 0 || r == height - 1 || c == 0 || c == width - 1;
      screen.set(top + r, left + c, edge ? "·" : " ", Style::kDim);
    }
  }
  for (int i = 0; i < height - 2; ++i) {
    screen.put(top + 1 + i, left + 2, lines[static_cast<size_t>(i)],
               i == 0 ? Style::kBold : Style::kNormal, width - 4);
  }
}

void draw_too_small(const DashboardState& state, Screen& screen) {
  const std::string text = "strest " + format_clock(state.elapsed_us) + "  " +
                           std::to_string(state.total) + " req  " +
                           printf_text("%.0f req/s", state.rps) + "  (enlarge to 80x24)";
  screen.put(0, 0, text, Style::kBold);
}

}  // namespace

std::string format_clock(int64_t us) {
  const int64_t seconds = us / 1'000'000;
  if (seconds < 60) return printf_text("%.1fs", static_cast<double>(us) / 1e6);
  char text[32];
  if (seconds < 3600) {
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  } else {
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60));
  }
  return text;
}

void draw_dashboard(const DashboardState& state, Screen& screen, bool show_help) {
  screen.clear();
  if (screen.width() < kMinDashboardWidth || screen.height() < kMinDashboardHeight) {
    draw_too_small(state, screen);
    return;
  }
  draw_header(state, screen);
  const int left_width = screen.width() * 9 / 20;
  const int counters_end = draw_counters(state, screen, 3, left_width);
  const int latency_end =
      draw_latency(state, screen, 3, left_width + 1, screen.width() - left_width - 2);
  const int top = std::max(counters_end, latency_end) + 1;
  // Bottom: breakdown rows, the replay's time axis, the footer.
  const int breakdown_rows = std::clamp((screen.height() - top) / 4, 2, 3);
  const int footer_rows = 1 + (state.replay ? 1 : 0);
  const int breakdown_row = screen.height() - footer_rows - breakdown_rows;
  const Rect charts{top, 1, breakdown_row - top - 1, screen.width() - 2};
  draw_charts(state, screen, charts);
  draw_breakdowns(state, screen, breakdown_row, breakdown_rows);
  if (state.replay) draw_timeline(state, screen, screen.height() - 2);
  draw_footer(state, screen);
  if (show_help) draw_help(state, screen, charts);
}

}  // namespace strest
