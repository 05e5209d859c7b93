#pragma once
// The dashboard's layout: draws a DashboardState into a Screen of any size from 80x24 up.
// Larger screens get taller charts and more breakdown rows; nothing here reads a clock, a
// terminal or the metrics.
#include "ui/dashboard_model.h"
#include "ui/screen.h"

namespace strest {

// The smallest screen the full dashboard fits; below it a one-line summary is drawn.
inline constexpr int kMinDashboardWidth = 80;
inline constexpr int kMinDashboardHeight = 24;

// Draws `state` over the whole screen; with `show_help` the key list covers the charts.
void draw_dashboard(const DashboardState& state, Screen& screen, bool show_help);

// "12.3s", "2m05s", "1h02m" for the header's clocks.
std::string format_clock(int64_t us);

}  // namespace strest
