#pragma once
// Draws a ChartSpec into a PNG file with PLplot's cairo driver ("pngcairo"): white background,
// dark axes and text, a light grid, lines (or bars) from a fixed palette, a legend when a chart
// has two or more lines, and a "no data" note when there is nothing to draw.
#include <string>
#include <vector>

#include "plan/result.h"
#include "report/chart_data.h"

namespace strest {

// The PNG's size in pixels.
struct ChartCanvas {
  int width = 1000;
  int height = 600;
};

// True when PLplot lists the pngcairo driver (package plplot-driver-cairo). Checked before each
// chart: PLplot would otherwise prompt on stdin for a device and then exit the process.
bool chart_driver_available();

// Writes one chart to `path` (overwritten). Each call opens and ends its own PLplot stream;
// calls from several threads are serialised by a lock, since PLplot keeps global state.
// Errors name the file and the fix; the process is never ended by PLplot for a bad path.
Status draw_chart(const ChartSpec& spec, const std::string& path, const ChartCanvas& canvas = {});

// Writes several charts into one PNG, stacked top to bottom in equal parts of the page (a
// latency chart over an error chart that share their x axis). Otherwise as draw_chart.
Status draw_chart_panels(const std::vector<ChartSpec>& panels, const std::string& path,
                         const ChartCanvas& canvas = {});

// Tick step for an axis spanning `range` with about `ticks` ticks: 1, 2, 2.5 or 5 times 10^k.
double nice_tick_step(double range, int ticks);

// Tick label text: value in units of `unit` (1, 1e3 "k", 1e6 "M", 1e9 "G") with as many
// decimals as the tick step needs, e.g. (2500, 500, 1e3) -> "2.5k", (0.25, 0.05, 1) -> "0.25".
std::string format_tick(double value, double step, double unit);

}  // namespace strest
