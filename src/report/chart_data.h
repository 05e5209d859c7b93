#pragma once
// What each PNG chart shows, as plain numbers: a RunResult goes in, one ChartSpec per file comes
// out. Kept apart from the drawing (chart_plot.h) so that the numbers are tested without PLplot.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "metrics/run_result.h"

namespace strest {

// The chart palette; chart_plot.cpp maps each entry to a PLplot colour map 0 index.
enum class ChartColor { kBlue, kOrange, kGreen, kRed, kPurple, kTeal, kGray };

// One line of a line chart, drawn over ChartSpec::x.
struct ChartLine {
  std::string label{};      // legend text; the legend is drawn only when a chart has 2+ lines
  std::vector<double> y{};  // one value per x; NaN leaves a gap (a second with no responses)
  ChartColor color = ChartColor::kBlue;
};

// One bar of a bar chart (a status code and how many responses had it).
struct ChartBar {
  std::string label{};
  double value = 0;
  ChartColor color = ChartColor::kBlue;
};

// A vertical line across a line chart at x, labelled at its top (the knee of a capacity search).
struct ChartMarker {
  double x = 0;
  std::string label{};
  ChartColor color = ChartColor::kGray;
  bool label_left = true;  // the label ends just left of the line, else starts just right of it
};

// Everything needed to draw one chart file: a line chart when `bars` is empty, else a bar chart.
struct ChartSpec {
  std::string file_name{};  // e.g. "requests_per_second.png"
  std::string title{};
  std::string x_label{};
  std::string y_label{};    // with the unit, e.g. "Latency (ms)"
  std::vector<double> x{};  // seconds since the start of the run, one per point of every line
  double x_min = 0;         // left edge of the x axis: the start of the first second
  double x_max = 0;         // right edge of the x axis: the end of the last second
  std::vector<ChartLine> lines{};
  std::vector<ChartBar> bars{};
  std::vector<ChartMarker> markers{};  // line charts only, drawn under the lines
  double y_limit = 0;          // > 0: the y axis never reaches above this (percentages stop at 100)
  std::string no_data_note{};  // why an empty() chart is empty, printed under "no data"

  // True when there is nothing to draw, so the chart shows a "no data" note instead.
  bool empty() const;
};

// A gap in a line (NaN): what a per-second latency has in a second without responses.
inline constexpr double kChartGap = std::numeric_limits<double>::quiet_NaN();

// The twelve charts of a run, in the order of the README's list.
std::vector<ChartSpec> chart_specs(const RunResult& result);

// The file names chart_specs() produces, in the same order.
std::vector<std::string> chart_file_names();

}  // namespace strest
